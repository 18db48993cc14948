import GGUF
import Kernels

/// Multi-head latent attention (DeepSeek-V2/V3) in the absorbed form llama.cpp runs: the cache
/// keeps, per token and layer, only the normalized KV latent and the shared RoPE key; each head's
/// non-positional query is moved into latent space through `attn_k_b`, attention runs as one KV
/// group over the latent rows (the latent is both key and value), and `attn_v_b` lifts each
/// head's latent output back to its value width before `attn_output`.
struct LatentAttention: Sendable {
    /// How the per-head queries are made from the normalized input.
    enum Query: Sendable {
        /// `attn_q_b · rmsnorm(attn_q_a · x) ⊙ attn_q_a_norm` (V3/R1).
        case lowRank(down: WeightMatrix, norm: [Float], up: WeightMatrix)
        /// `attn_q · x` when `q_lora_rank` is 0 (V2-Lite).
        case direct(WeightMatrix)
    }

    let config: MLAConfig
    let eps: Float
    let query: Query
    /// `attn_kv_a_mqa`: input → latent then the RoPE key.
    let kvDown: WeightMatrix
    let kvNorm: [Float]
    /// Per head, `latentWidth` × `nopeDim`: a head's non-positional query into latent space.
    let keyUp: [WeightMatrix]
    /// Per head, `valueDim` × `latentWidth`: a head's latent output to its values.
    let valueUp: [WeightMatrix]
    let output: WeightMatrix
    /// Storage for `keyUp` when it was built at load from a legacy `attn_kv_b`.
    private let ownedKeyUp: OwnedFloats?

    /// Block `layer`'s attention tensors. Files converted before about April 2025 carry one
    /// `attn_kv_b` instead of `attn_k_b`/`attn_v_b`; it is split here: its value rows are viewed in
    /// place and its key rows transposed into f32 (exact for every stored type).
    init(_ w: inout WeightLoader, layer: Int, dim: Int, config c: MLAConfig, eps: Float) throws(ModelError) {
        let p = "blk.\(layer)."
        config = c
        self.eps = eps
        if c.queryRank > 0 {
            query = .lowRank(down: try w.matrix(p + "attn_q_a.weight", rows: c.queryRank, cols: dim),
                             norm: try w.vector(p + "attn_q_a_norm.weight", count: c.queryRank),
                             up: try w.matrix(p + "attn_q_b.weight", rows: c.heads * c.queryKeyDim, cols: c.queryRank))
        } else {
            query = .direct(try w.matrix(p + "attn_q.weight", rows: c.heads * c.queryKeyDim, cols: dim))
        }
        kvDown = try w.matrix(p + "attn_kv_a_mqa.weight", rows: c.cacheRowWidth, cols: dim)
        kvNorm = try w.vector(p + "attn_kv_a_norm.weight", count: c.latentWidth)
        if w.has(p + "attn_k_b.weight") || !w.has(p + "attn_kv_b.weight") {
            keyUp = try w.matrices(p + "attn_k_b.weight", rows: c.latentWidth, cols: c.nopeDim, count: c.heads)
            valueUp = try w.matrices(p + "attn_v_b.weight", rows: c.valueDim, cols: c.latentWidth, count: c.heads)
            ownedKeyUp = nil
        } else {
            (keyUp, valueUp, ownedKeyUp) = try Self.split(&w, p + "attn_kv_b.weight", c)
        }
        output = try w.matrix(p + "attn_output.weight", rows: dim, cols: c.heads * c.valueDim)
    }

    /// `attn_kv_b` holds, per head, `nopeDim` key rows then `valueDim` value rows, each over the latent.
    private static func split(_ w: inout WeightLoader, _ name: String, _ c: MLAConfig) throws(ModelError)
        -> ([WeightMatrix], [WeightMatrix], OwnedFloats) {
        let perHead = c.nopeDim + c.valueDim
        let kvb = try w.matrix(name, rows: c.heads * perHead, cols: c.latentWidth)
        let owned = OwnedFloats(count: c.heads * c.latentWidth * c.nopeDim)
        var keys: [WeightMatrix] = [], values: [WeightMatrix] = []
        let row = UnsafeMutablePointer<Float>.allocate(capacity: c.latentWidth)
        defer { row.deallocate() }
        do {
            for h in 0..<c.heads {
                let k = owned.pointer + h * c.latentWidth * c.nopeDim
                for d in 0..<c.nopeDim {
                    MatMul.dequantizeRow(kvb, h * perHead + d, into: row)
                    for l in 0..<c.latentWidth { k[l * c.nopeDim + d] = row[l] }
                }
                keys.append(try WeightMatrix(type: .f32, rows: c.latentWidth, cols: c.nopeDim, data: k))
                values.append(try WeightMatrix(type: kvb.type, rows: c.valueDim, cols: c.latentWidth,
                                               data: kvb.row(h * perHead + c.nopeDim)))
            }
        } catch {
            throw .unsupportedType(tensor: name, type: kvb.type)
        }
        return (keys, values, owned)
    }

    /// `x` is one normalized row of dim per token of `batch`; stores each token's latent and RoPE
    /// key in its sequence's cache and writes the attention output, one row of dim per token, to `out`.
    func apply(_ x: UnsafePointer<Float>, batch: ForwardBatch, layer: Int, into out: UnsafeMutablePointer<Float>) {
        let state = batch.work, n = batch.count
        let c = config, s = state.scratch, pool = state.pool, mm = state.matmul
        let qWidth = c.heads * c.queryKeyDim, row = c.cacheRowWidth
        let q = s.buffer("mla.q", n * qWidth)
        switch query {
        case .lowRank(let down, let norm, let up):
            let r = down.rows, qa = s.buffer("mla.qa", n * r)
            MatMul.multiply(down, x, tokens: n, into: qa, pool: pool, scratch: mm)
            norm.withUnsafeBufferPointer { g in
                for t in 0..<n { Elementwise.rmsNorm(qa + t * r, weight: g.baseAddress!, eps: eps, count: r, into: qa + t * r) }
            }
            MatMul.multiply(up, qa, tokens: n, into: q, pool: pool, scratch: mm)
        case .direct(let wq):
            MatMul.multiply(wq, x, tokens: n, into: q, pool: pool, scratch: mm)
        }
        let kv = s.buffer("mla.kv", n * row), angles = s.buffer("mla.rope", c.ropeDim)
        MatMul.multiply(kvDown, x, tokens: n, into: kv, pool: pool, scratch: mm)
        kvNorm.withUnsafeBufferPointer { g in
            for t in 0..<n {
                let k = kv + t * row
                Elementwise.rmsNorm(k, weight: g.baseAddress!, eps: eps, count: c.latentWidth, into: k)
                c.rope.fillCache(position: batch.positions[t], angles)
                c.rope.apply(k + c.latentWidth, heads: 1, headDim: c.ropeDim, cache: angles)
                c.rope.apply(q + t * qWidth + c.nopeDim, heads: c.heads, headDim: c.queryKeyDim, cache: angles)
                KVCache.store(k, count: row, into: batch.caches[t].key(layer, batch.positions[t]))
            }
        }

        // Queries in cache-row layout: [k_b · q_nope | roped q_pe] per head.
        let absorbed = s.buffer("mla.absorbed", n * c.heads * row)
        let latents = s.buffer("mla.latents", n * c.heads * c.latentWidth)
        let headWidth = max(c.latentWidth, c.nopeDim, c.valueDim)
        let headIn = s.buffer("mla.headIn", pool.threadCount * n * headWidth)
        let headOut = s.buffer("mla.headOut", pool.threadCount * n * headWidth)
        forEachHead(state) { h, thread, scratch in
            let input = headIn + thread * n * headWidth, result = headOut + thread * n * headWidth
            for t in 0..<n { (input + t * c.nopeDim).update(from: q + t * qWidth + h * c.queryKeyDim, count: c.nopeDim) }
            MatMul.multiply(keyUp[h], input, tokens: n, into: result, pool: Self.serial, scratch: scratch)
            for t in 0..<n {
                let dst = absorbed + (t * c.heads + h) * row
                dst.update(from: result + t * c.latentWidth, count: c.latentWidth)
                (dst + c.latentWidth).update(from: q + t * qWidth + h * c.queryKeyDim + c.nopeDim, count: c.ropeDim)
            }
        }
        let shape = AttentionShape(heads: c.heads, kvHeads: 1, keyDim: row, valueDim: c.latentWidth,
                                   scale: c.kqScale, slidingWindow: nil)
        Attention.attend(q: absorbed, batch: batch, layer: layer, shape: shape, out: latents, pool: pool, scratch: s)
        let values = s.buffer("mla.values", n * c.heads * c.valueDim)
        forEachHead(state) { h, thread, scratch in
            let input = headIn + thread * n * headWidth, result = headOut + thread * n * headWidth
            for t in 0..<n {
                (input + t * c.latentWidth).update(from: latents + (t * c.heads + h) * c.latentWidth, count: c.latentWidth)
            }
            MatMul.multiply(valueUp[h], input, tokens: n, into: result, pool: Self.serial, scratch: scratch)
            for t in 0..<n {
                (values + (t * c.heads + h) * c.valueDim).update(from: result + t * c.valueDim, count: c.valueDim)
            }
        }
        MatMul.multiply(output, values, tokens: n, into: out, pool: pool, scratch: mm)
    }

    /// Runs the per-head products without the pool inside them: a decode step has two small
    /// matmuls per head, and one dispatch for all heads costs far less than one per product.
    private static let serial = ThreadPool(threads: 1)

    /// Calls `body(head, thread, scratch)` for every head, heads spread over the pool's threads.
    private func forEachHead(_ state: ModelState, _ body: (_ head: Int, _ thread: Int, _ scratch: MatMulScratch) -> Void) {
        let scratches = state.threadMatMul, heads = config.heads
        state.pool.run { thread, threads in
            for h in stride(from: thread, to: heads, by: threads) { body(h, thread, scratches[thread]) }
        }
    }
}

/// Float storage a model owns rather than views in its file, freed with it.
final class OwnedFloats: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }

    deinit { pointer.deallocate() }
}
