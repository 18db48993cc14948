import GGUF
import Kernels

/// Causal multi-head attention with grouped KV heads over the KV cache, computed as llama.cpp's
/// CPU graph does without flash attention. With the default f16 cache: q rounded to f16 for K·q,
/// scores scaled then soft-maxed in f32, probabilities rounded to f16 before they weight V. An f32
/// cache keeps everything in f32; a q8_0 cache quantizes q to q8_0 for K·q (ggml's vec_dot_type of
/// q8_0) and dequantizes V.
struct AttentionShape {
    var heads: Int
    var kvHeads: Int
    var keyDim: Int
    var valueDim: Int
    /// Applied to the attention scores (ggml `soft_max_ext`'s scale).
    var scale: Float
    /// Applied to q before attention (gemma scales Qcur itself and passes a score scale of 1).
    var queryScale: Float? = nil
    /// Keys further back than this many positions are masked (gemma3's local layers).
    var slidingWindow: Int?
}

enum Attention {
    /// `q`: one row of heads·keyDim per token of `batch`, already roped; each token's cache holds
    /// keys and values up to its position. Writes one row of heads·valueDim per token to `out`.
    static func attend(
        q: UnsafePointer<Float>, batch: ForwardBatch, layer: Int, shape: AttentionShape,
        out: UnsafeMutablePointer<Float>, pool: ThreadPool, scratch: ScratchArena
    ) {
        let tokens = batch.count
        let context = batch.positions.max()! + 1
        let scores = scratch.buffer("attention.scores", pool.threadCount * context)
        // Per thread: q in the cache's key type (at most 4 bytes per value) and a float scratch row
        // (a dequantized V slice, or the query widened from f16).
        let scratchWidth = max(shape.keyDim, shape.valueDim)
        let qBuffer = scratch.buffer("attention.q", pool.threadCount * (shape.keyDim + scratchWidth))
        let group = shape.heads / shape.kvHeads
        let type = batch.caches[0].type
        pool.run { thread, threadCount in
            let s = scores + thread * context
            let qConverted = UnsafeMutableRawPointer(qBuffer + thread * (shape.keyDim + scratchWidth))
            let vSlice = qBuffer + thread * (shape.keyDim + scratchWidth) + shape.keyDim
            let work = tokens * shape.heads
            // Items dealt out in turn, not in contiguous halves: a later token attends over more
            // positions, so contiguous ranges left the first thread idle for most of a long prompt.
            for item in stride(from: thread, to: work, by: threadCount) {
                let t = item / shape.heads, h = item % shape.heads, g = h / group
                let position = batch.positions[t], cache = batch.caches[t]
                let first = shape.slidingWindow.map { max(0, position - $0 + 1) } ?? 0
                let qh = q + t * shape.heads * shape.keyDim + h * shape.keyDim
                prepareQuery(qh, count: shape.keyDim, type: type, into: qConverted)
                let n = position - first + 1
                scoreKeys(cache: cache, layer: layer, from: first, count: n, head: g, dim: shape.keyDim, query: qConverted,
                          widened: vSlice, scale: shape.scale, into: s)
                Elementwise.softmax(s, count: n)
                let o = out + t * shape.heads * shape.valueDim + h * shape.valueDim
                if type == .f16 {
                    weighF16Values(s, count: n, cache: cache, layer: layer, from: first, head: g, dim: shape.valueDim, into: o)
                    continue
                }
                for d in 0..<shape.valueDim { o[d] = 0 }
                for j in 0..<n {
                    let row = cache.valueRow(layer, first + j)
                    if type == .f32 {
                        let v = row.assumingMemoryBound(to: Float.self) + g * shape.valueDim
                        for d in 0..<shape.valueDim { o[d] += s[j] * v[d] }
                    } else {
                        let blocks = UnsafeRawBufferPointer(start: row + g * shape.valueDim / 32 * 34, count: shape.valueDim / 32 * 34)
                        try! dequantize(.q8_0, blocks, into: UnsafeMutableBufferPointer(start: vSlice, count: shape.valueDim))
                        for d in 0..<shape.valueDim { o[d] += s[j] * vSlice[d] }
                    }
                }
            }
        }
    }

    /// `o[d] = Σ_j p_j · V_j[d]` over an f16 cache, each p rounded to f16 first: for every d the
    /// products are added one by one in j order, unfused, starting from 0 (as the scalar loop of
    /// the other cache types), but 32 outputs at a time stay in registers across all j instead of
    /// going through memory at every j. `p` is rounded in place.
    private static func weighF16Values(_ p: UnsafeMutablePointer<Float>, count n: Int, cache: KVCache, layer: Int, from first: Int,
                                       head: Int, dim: Int, into o: UnsafeMutablePointer<Float>) {
        for j in 0..<n { p[j] = Float(fp16Bits: p[j].fp16Bits) }
        // Rows by stride, so the loop below calls nothing and its accumulators stay in registers.
        let rows = UnsafeRawPointer(cache.valueRow(layer, first)) + 2 * head * dim, stride = cache.valueRowStride(layer)
        var d = 0
        while d + 32 <= dim {
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            for j in 0..<n {
                let weight = SIMD8<Float>(repeating: p[j])
                let v = rows + j * stride + 2 * d
                a0 = a0 + weight * SIMD8<Float>(f16: v)
                a1 = a1 + weight * SIMD8<Float>(f16: v + 16)
                a2 = a2 + weight * SIMD8<Float>(f16: v + 32)
                a3 = a3 + weight * SIMD8<Float>(f16: v + 48)
            }
            UnsafeMutableRawPointer(o + d).storeBytes(of: a0, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(o + d + 8).storeBytes(of: a1, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(o + d + 16).storeBytes(of: a2, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(o + d + 24).storeBytes(of: a3, as: SIMD8<Float>.self)
            d += 32
        }
        while d < dim {
            var sum: Float = 0
            for j in 0..<n {
                sum += p[j] * Float(fp16Bits: (rows + j * stride).assumingMemoryBound(to: UInt16.self)[d])
            }
            o[d] = sum
            d += 1
        }
    }

    /// q in the form the key type's dot product takes: f16 bits, f32 as is, or q8_0 blocks.
    private static func prepareQuery(_ q: UnsafePointer<Float>, count: Int, type: KVCacheType, into out: UnsafeMutableRawPointer) {
        switch type {
        case .f16:
            let q16 = out.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { q16[i] = q[i].fp16Bits }
        case .f32:
            out.copyMemory(from: q, byteCount: count * 4)
        case .q8_0:
            // Head widths were checked to be whole q8_0 blocks when the cache was made.
            try! quantizeActivation(.q8_0, UnsafeBufferPointer(start: q, count: count),
                                    into: UnsafeMutableRawBufferPointer(start: out, count: count / 32 * 34))
        }
    }

    /// `scores[j] = K[first + j]·q · scale` for KV head `head`, `j` in `0..<count`. `widened` holds
    /// `dim` floats of scratch.
    private static func scoreKeys(cache: KVCache, layer: Int, from first: Int, count: Int, head: Int, dim: Int,
                                  query: UnsafeMutableRawPointer, widened: UnsafeMutablePointer<Float>, scale: Float,
                                  into scores: UnsafeMutablePointer<Float>) {
        switch cache.type {
        case .f16:
            Elementwise.dotF16Rows(cache.keyRow(layer, first) + 2 * head * dim, stride: cache.keyRowStride(layer), rows: count,
                                   query: query.assumingMemoryBound(to: UInt16.self), dim: dim, widened: widened,
                                   scale: scale, into: scores)
        case .f32:
            let qf = query.assumingMemoryBound(to: Float.self)
            for j in 0..<count {
                let k = cache.keyRow(layer, first + j).assumingMemoryBound(to: Float.self) + head * dim
                var sum: Float = 0
                for i in 0..<dim { sum = sum.addingProduct(k[i], qf[i]) }
                scores[j] = sum * scale
            }
        case .q8_0:
            // Per 32-value block: exact integer sum, then scaled by both f16 scales (ggml's q8_0·q8_0).
            let qb = UnsafeRawPointer(query)
            for j in 0..<count {
                var sum: Float = 0
                let k = UnsafeRawPointer(cache.keyRow(layer, first + j)) + head * dim / 32 * 34
                for b in 0..<dim / 32 {
                    let kb = k + b * 34, qbb = qb + b * 34
                    var isum: Int32 = 0
                    for i in 0..<32 {
                        isum &+= Int32(kb.load(fromByteOffset: 2 + i, as: Int8.self)) * Int32(qbb.load(fromByteOffset: 2 + i, as: Int8.self))
                    }
                    let blockScale = Float(fp16Bits: kb.loadUnaligned(as: UInt16.self)) * Float(fp16Bits: qbb.loadUnaligned(as: UInt16.self))
                    sum += Float(isum) * blockScale
                }
                scores[j] = sum * scale
            }
        }
    }
}
