import Kernels

/// Causal multi-head attention with grouped KV heads over the f16 cache, computed as llama.cpp's
/// CPU graph does without flash attention: q rounded to f16 for K·q, scores scaled then
/// soft-maxed in f32, probabilities rounded to f16 before they weight V.
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
    /// `q`: tokens × (heads·keyDim), already roped, for positions `firstPosition...`; the cache holds
    /// keys and values up to the last of those positions. Writes tokens × (heads·valueDim) to `out`.
    static func attend(
        q: UnsafePointer<Float>, tokens: Int, firstPosition: Int, layer: Int, cache: KVCache,
        shape: AttentionShape, out: UnsafeMutablePointer<Float>, pool: ThreadPool, scratch: ScratchArena
    ) {
        let context = firstPosition + tokens
        let threads = pool.threadCount
        let scores = scratch.buffer("attention.scores", threads * context)
        let q16Buffer = scratch.buffer("attention.q16", threads * shape.keyDim)
        let group = shape.heads / shape.kvHeads
        pool.run { thread, threadCount in
            let s = scores + thread * context
            // q as f16 bits, reusing the float buffer's storage.
            let q16 = UnsafeMutableRawPointer(q16Buffer + thread * shape.keyDim).assumingMemoryBound(to: UInt16.self)
            let work = tokens * shape.heads
            for item in (work * thread / threadCount)..<(work * (thread + 1) / threadCount) {
                let t = item / shape.heads, h = item % shape.heads, g = h / group
                let position = firstPosition + t
                let first = shape.slidingWindow.map { max(0, position - $0 + 1) } ?? 0
                let qh = q + t * shape.heads * shape.keyDim + h * shape.keyDim
                for i in 0..<shape.keyDim { q16[i] = qh[i].fp16Bits }
                for j in first...position {
                    let k = cache.key(layer, j) + g * shape.keyDim
                    s[j - first] = Elementwise.dotF16(k, q16, count: shape.keyDim) * shape.scale
                }
                let n = position - first + 1
                Elementwise.softmax(s, count: n)
                let o = out + t * shape.heads * shape.valueDim + h * shape.valueDim
                for d in 0..<shape.valueDim { o[d] = 0 }
                for j in 0..<n {
                    let p = Float(fp16Bits: s[j].fp16Bits)
                    let v = cache.value(layer, first + j) + g * shape.valueDim
                    for d in 0..<shape.valueDim { o[d] += p * Float(fp16Bits: v[d]) }
                }
            }
        }
    }
}
