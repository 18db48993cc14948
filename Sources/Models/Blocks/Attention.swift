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
        // Per thread: q in the cache's key type (at most 4 bytes per value) and one dequantized V slice.
        let qBuffer = scratch.buffer("attention.q", pool.threadCount * (shape.keyDim + shape.valueDim))
        let group = shape.heads / shape.kvHeads
        let type = batch.caches[0].type
        pool.run { thread, threadCount in
            let s = scores + thread * context
            let qConverted = UnsafeMutableRawPointer(qBuffer + thread * (shape.keyDim + shape.valueDim))
            let vSlice = qBuffer + thread * (shape.keyDim + shape.valueDim) + shape.keyDim
            let work = tokens * shape.heads
            for item in (work * thread / threadCount)..<(work * (thread + 1) / threadCount) {
                let t = item / shape.heads, h = item % shape.heads, g = h / group
                let position = batch.positions[t], cache = batch.caches[t]
                let first = shape.slidingWindow.map { max(0, position - $0 + 1) } ?? 0
                let qh = q + t * shape.heads * shape.keyDim + h * shape.keyDim
                prepareQuery(qh, count: shape.keyDim, type: type, into: qConverted)
                for j in first...position {
                    s[j - first] = keyScore(cache.keyRow(layer, j), head: g, dim: shape.keyDim, query: qConverted, type: type)
                        * shape.scale
                }
                let n = position - first + 1
                Elementwise.softmax(s, count: n)
                let o = out + t * shape.heads * shape.valueDim + h * shape.valueDim
                for d in 0..<shape.valueDim { o[d] = 0 }
                for j in 0..<n {
                    let row = cache.valueRow(layer, first + j)
                    switch type {
                    case .f16:
                        let p = Float(fp16Bits: s[j].fp16Bits)
                        let v = row.assumingMemoryBound(to: UInt16.self) + g * shape.valueDim
                        for d in 0..<shape.valueDim { o[d] += p * Float(fp16Bits: v[d]) }
                    case .f32:
                        let v = row.assumingMemoryBound(to: Float.self) + g * shape.valueDim
                        for d in 0..<shape.valueDim { o[d] += s[j] * v[d] }
                    case .q8_0:
                        let blocks = UnsafeRawBufferPointer(start: row + g * shape.valueDim / 32 * 34, count: shape.valueDim / 32 * 34)
                        try! dequantize(.q8_0, blocks, into: UnsafeMutableBufferPointer(start: vSlice, count: shape.valueDim))
                        for d in 0..<shape.valueDim { o[d] += s[j] * vSlice[d] }
                    }
                }
            }
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

    /// K·q for KV head `head` of a cached key row.
    private static func keyScore(_ row: UnsafeMutableRawPointer, head: Int, dim: Int, query: UnsafeMutableRawPointer,
                                 type: KVCacheType) -> Float {
        switch type {
        case .f16:
            return Elementwise.dotF16(row.assumingMemoryBound(to: UInt16.self) + head * dim,
                                      query.assumingMemoryBound(to: UInt16.self), count: dim)
        case .f32:
            let k = row.assumingMemoryBound(to: Float.self) + head * dim, qf = query.assumingMemoryBound(to: Float.self)
            var sum: Float = 0
            for i in 0..<dim { sum = sum.addingProduct(k[i], qf[i]) }
            return sum
        case .q8_0:
            // Per 32-value block: exact integer sum, then scaled by both f16 scales (ggml's q8_0·q8_0).
            var sum: Float = 0
            let k = UnsafeRawPointer(row) + head * dim / 32 * 34, qb = UnsafeRawPointer(query)
            for b in 0..<dim / 32 {
                let kb = k + b * 34, qbb = qb + b * 34
                var isum: Int32 = 0
                for i in 0..<32 {
                    isum &+= Int32(kb.load(fromByteOffset: 2 + i, as: Int8.self)) * Int32(qbb.load(fromByteOffset: 2 + i, as: Int8.self))
                }
                let scale = Float(fp16Bits: kb.loadUnaligned(as: UInt16.self)) * Float(fp16Bits: qbb.loadUnaligned(as: UInt16.self))
                sum += Float(isum) * scale
            }
            return sum
        }
    }
}
