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
        let group = shape.heads / shape.kvHeads
        let type = batch.caches[0].type
        // Heads of one KV head taken together: their keys and values are widened once for all.
        let runLimit = min(group, maxRun)
        let scores = scratch.buffer("attention.scores", pool.threadCount * runLimit * context)
        // Per thread: the run's queries in the cache's key type (at most 4 bytes per value) and
        // float scratch: the widened queries, or a dequantized V slice.
        let queryWidth = runLimit * shape.keyDim
        let scratchWidth = max(runLimit * shape.keyDim, shape.valueDim)
        let qBuffer = scratch.buffer("attention.q", pool.threadCount * (queryWidth + scratchWidth))
        pool.run { thread, threadCount in
            let s = scores + thread * runLimit * context
            let queries = UnsafeMutableRawPointer(qBuffer + thread * (queryWidth + scratchWidth))
            let floats = qBuffer + thread * (queryWidth + scratchWidth) + queryWidth
            func attendRun(token t: Int, heads: Range<Int>) {
                let g = heads.lowerBound / group
                let position = batch.positions[t], cache = batch.caches[t]
                let first = shape.slidingWindow.map { max(0, position - $0 + 1) } ?? 0
                let n = position - first + 1
                let qt = q + t * shape.heads * shape.keyDim, ot = out + t * shape.heads * shape.valueDim
                if type == .f16 {
                    let q16 = queries.assumingMemoryBound(to: UInt16.self)
                    for (i, h) in heads.enumerated() {
                        prepareQuery(qt + h * shape.keyDim, count: shape.keyDim, type: type, into: q16 + i * shape.keyDim)
                    }
                    Elementwise.dotF16Rows(cache.keyRow(layer, first) + 2 * g * shape.keyDim, stride: cache.keyRowStride(layer),
                                           rows: n, queries: q16, heads: heads.count, dim: shape.keyDim, widened: floats,
                                           scale: shape.scale, into: s, scoreStride: context)
                    for i in 0..<heads.count { Elementwise.softmax(s + i * context, count: n) }
                    weighF16Values(s, stride: context, heads: heads.count, count: n, cache: cache, layer: layer, from: first,
                                   head: g, dim: shape.valueDim, into: ot + heads.lowerBound * shape.valueDim)
                    return
                }
                for h in heads {
                    prepareQuery(qt + h * shape.keyDim, count: shape.keyDim, type: type, into: queries)
                    scoreKeys(cache: cache, layer: layer, from: first, count: n, head: g, dim: shape.keyDim, query: queries,
                              scale: shape.scale, into: s)
                    Elementwise.softmax(s, count: n)
                    let o = ot + h * shape.valueDim
                    for d in 0..<shape.valueDim { o[d] = 0 }
                    for j in 0..<n {
                        let row = cache.valueRow(layer, first + j)
                        if type == .f32 {
                            let v = row.assumingMemoryBound(to: Float.self) + g * shape.valueDim
                            for d in 0..<shape.valueDim { o[d] += s[j] * v[d] }
                        } else {
                            let blocks = UnsafeRawBufferPointer(start: row + g * shape.valueDim / 32 * 34, count: shape.valueDim / 32 * 34)
                            try! dequantize(.q8_0, blocks, into: UnsafeMutableBufferPointer(start: floats, count: shape.valueDim))
                            for d in 0..<shape.valueDim { o[d] += s[j] * floats[d] }
                        }
                    }
                }
            }
            if tokens == 1 {
                // One token: each thread a contiguous range of heads, cut into runs at KV heads.
                let end = shape.heads * (thread + 1) / threadCount
                var h = shape.heads * thread / threadCount
                while h < end {
                    let runEnd = min(end, (h / group + 1) * group, h + runLimit)
                    attendRun(token: 0, heads: h..<runEnd)
                    h = runEnd
                }
            } else {
                // Items dealt out in turn, not in contiguous halves: a later token attends over more
                // positions, so contiguous ranges left the first thread idle for most of a long prompt.
                for item in stride(from: thread, to: tokens * shape.heads, by: threadCount) {
                    let h = item % shape.heads
                    attendRun(token: item / shape.heads, heads: h..<h + 1)
                }
            }
        }
    }

    /// Heads attended together at most (the values' accumulators of four heads fill the registers;
    /// a longer run takes them four at a time).
    private static let maxRun = 8

    /// `o_h[d] = Σ_j p_h[j] · V_j[d]` over an f16 cache for each of `heads` heads sharing KV head
    /// `head` (p_h at `p + h · stride`, o_h at `o + h · dim`), each p rounded to f16 first: for every
    /// d the products are added one by one in j order, unfused, starting from 0 (as the scalar
    /// loop of the other cache types). 16 outputs of up to four heads at a time (32 of a head
    /// alone) stay in registers across all j, and each V row is widened once for those heads. `p` is rounded in place.
    private static func weighF16Values(_ p: UnsafeMutablePointer<Float>, stride pStride: Int, heads: Int, count n: Int,
                                       cache: KVCache, layer: Int, from first: Int, head: Int, dim: Int,
                                       into o: UnsafeMutablePointer<Float>) {
        for h in 0..<heads {
            for j in 0..<n { p[h * pStride + j] = Float(fp16Bits: p[h * pStride + j].fp16Bits) }
        }
        // Rows by stride, so the loop below calls nothing and its accumulators stay in registers.
        let rows = UnsafeRawPointer(cache.valueRow(layer, first)) + 2 * head * dim, stride = cache.valueRowStride(layer)
        var h0 = 0
        while h0 < heads {
            let m = min(4, heads - h0)
            let p0 = p + h0 * pStride, p1 = p0 + pStride, p2 = p1 + pStride, p3 = p2 + pStride
            var d = 0
            // One head alone: 32 outputs at a time, so four accumulator chains hide the adds' latency.
            while m == 1 && d + 32 <= dim {
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                for j in 0..<n {
                    let weight = SIMD8<Float>(repeating: p0[j])
                    let v = rows + j * stride + 2 * d
                    a0 = a0 + weight * SIMD8<Float>(f16: v)
                    a1 = a1 + weight * SIMD8<Float>(f16: v + 16)
                    a2 = a2 + weight * SIMD8<Float>(f16: v + 32)
                    a3 = a3 + weight * SIMD8<Float>(f16: v + 48)
                }
                let out = UnsafeMutableRawPointer(o + h0 * dim + d)
                out.storeBytes(of: a0, as: SIMD8<Float>.self)
                out.storeBytes(of: a1, toByteOffset: 32, as: SIMD8<Float>.self)
                out.storeBytes(of: a2, toByteOffset: 64, as: SIMD8<Float>.self)
                out.storeBytes(of: a3, toByteOffset: 96, as: SIMD8<Float>.self)
                d += 32
            }
            while d + 16 <= dim {
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b0 = SIMD8<Float>(), b1 = SIMD8<Float>()
                var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), e0 = SIMD8<Float>(), e1 = SIMD8<Float>()
                for j in 0..<n {
                    let v = rows + j * stride + 2 * d
                    let v0 = SIMD8<Float>(f16: v), v1 = SIMD8<Float>(f16: v + 16)
                    let w0 = SIMD8<Float>(repeating: p0[j])
                    a0 = a0 + w0 * v0
                    a1 = a1 + w0 * v1
                    if m > 1 {
                        let w1 = SIMD8<Float>(repeating: p1[j])
                        b0 = b0 + w1 * v0
                        b1 = b1 + w1 * v1
                    }
                    if m > 2 {
                        let w2 = SIMD8<Float>(repeating: p2[j])
                        c0 = c0 + w2 * v0
                        c1 = c1 + w2 * v1
                    }
                    if m > 3 {
                        let w3 = SIMD8<Float>(repeating: p3[j])
                        e0 = e0 + w3 * v0
                        e1 = e1 + w3 * v1
                    }
                }
                let out = UnsafeMutableRawPointer(o + h0 * dim + d), next = 4 * dim
                out.storeBytes(of: a0, as: SIMD8<Float>.self)
                out.storeBytes(of: a1, toByteOffset: 32, as: SIMD8<Float>.self)
                if m > 1 {
                    out.storeBytes(of: b0, toByteOffset: next, as: SIMD8<Float>.self)
                    out.storeBytes(of: b1, toByteOffset: next + 32, as: SIMD8<Float>.self)
                }
                if m > 2 {
                    out.storeBytes(of: c0, toByteOffset: 2 * next, as: SIMD8<Float>.self)
                    out.storeBytes(of: c1, toByteOffset: 2 * next + 32, as: SIMD8<Float>.self)
                }
                if m > 3 {
                    out.storeBytes(of: e0, toByteOffset: 3 * next, as: SIMD8<Float>.self)
                    out.storeBytes(of: e1, toByteOffset: 3 * next + 32, as: SIMD8<Float>.self)
                }
                d += 16
            }
            while d < dim {
                for i in 0..<m {
                    let weights = p + (h0 + i) * pStride
                    var sum: Float = 0
                    for j in 0..<n {
                        sum += weights[j] * Float(fp16Bits: (rows + j * stride).assumingMemoryBound(to: UInt16.self)[d])
                    }
                    o[(h0 + i) * dim + d] = sum
                }
                d += 1
            }
            h0 += m
        }
    }

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

    /// `scores[j] = K[first + j]·q · scale` for KV head `head`, `j` in `0..<count`, from an f32 or
    /// q8_0 cache (f16 keys go through `Elementwise.dotF16Rows`).
    private static func scoreKeys(cache: KVCache, layer: Int, from first: Int, count: Int, head: Int, dim: Int,
                                  query: UnsafeMutableRawPointer, scale: Float, into scores: UnsafeMutablePointer<Float>) {
        switch cache.type {
        case .f16:
            preconditionFailure("f16 keys are scored for a run of heads by Elementwise.dotF16Rows")
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
