import GGUF
import Kernels

/// The pre-norm decoder shared by llama-family architectures: RMSNorm → attention with RoPE →
/// residual → RMSNorm → gated FFN → residual. Architectures differ in the pieces they switch on
/// (QKV biases, QK-norm, post-norms, embedding scale, activation, sliding windows), all held here
/// as data so each architecture file is just its configuration and tensor names.
final class DenseDecoder: HiddenStateModel, @unchecked Sendable {
    struct Layer {
        var attnNorm: [Float]
        var wq: WeightMatrix, wk: WeightMatrix, wv: WeightMatrix, wo: WeightMatrix
        var bq: [Float]? = nil, bk: [Float]? = nil, bv: [Float]? = nil
        var qNorm: [Float]? = nil, kNorm: [Float]? = nil
        var postAttnNorm: [Float]? = nil
        var ffnNorm: [Float]
        var gate: WeightMatrix, up: WeightMatrix, down: WeightMatrix
        var postFFNNorm: [Float]? = nil
        var rope: RopeConfig
        var attention: AttentionShape
    }

    enum Activation { case silu, geluTanh }

    let dim: Int
    let eps: Float
    let embedding: WeightMatrix
    let embeddingScale: Float?
    let outputNorm: [Float]
    let output: WeightMatrix
    let layers: [Layer]
    let activation: Activation
    let vocabularySize: Int
    let trainedContextLength: Int
    let declaredPooling: PoolingType?

    init(dim: Int, eps: Float, embedding: WeightMatrix, embeddingScale: Float?, outputNorm: [Float],
         output: WeightMatrix, layers: [Layer], activation: Activation, trainedContextLength: Int,
         declaredPooling: PoolingType?) {
        self.dim = dim
        self.eps = eps
        self.embedding = embedding
        self.embeddingScale = embeddingScale
        self.outputNorm = outputNorm
        self.output = output
        self.layers = layers
        self.activation = activation
        vocabularySize = output.rows
        self.trainedContextLength = trainedContextLength
        self.declaredPooling = declaredPooling
    }

    func makeCache(contextSize: Int, type: KVCacheType) throws(ModelError) -> KVCache {
        let keyWidth = layers.map { $0.attention.kvHeads * $0.attention.keyDim }
        let valueWidth = layers.map { $0.attention.kvHeads * $0.attention.valueDim }
        // Per head, not just per row: q8_0 blocks must not straddle two heads.
        try KVCache.check(keyWidth: layers.map(\.attention.keyDim), valueWidth: layers.map(\.attention.valueDim), type: type)
        return KVCache(layers: layers.count, contextSize: contextSize, keyWidth: keyWidth, valueWidth: valueWidth, type: type)
    }

    func makeState(contextSize: Int, batchSize: Int, pool: ThreadPool, cacheType: KVCacheType) throws(ModelError) -> ModelState {
        ModelState(contextSize: contextSize, batchSize: batchSize, cache: try makeCache(contextSize: contextSize, type: cacheType), pool: pool)
    }

    func runBlocks(_ batch: ForwardBatch) -> UnsafeMutablePointer<Float> {
        let n = batch.count, tokens = batch.tokens
        let pool = batch.work.pool, s = batch.work.scratch, mm = batch.work.matmul
        let x = s.buffer("x", n * dim)
        let xn = s.buffer("xn", n * dim)
        for (t, id) in tokens.enumerated() {
            MatMul.dequantizeRow(embedding, Int(id), into: x + t * dim)
            if let scale = embeddingScale { Elementwise.scale(x + t * dim, by: scale, count: dim) }
        }
        for (l, layer) in layers.enumerated() {
            let a = layer.attention
            let qWidth = a.heads * a.keyDim, kWidth = a.kvHeads * a.keyDim, vWidth = a.kvHeads * a.valueDim
            let q = s.buffer("q", n * qWidth), k = s.buffer("k", n * kWidth), v = s.buffer("v", n * vWidth)
            let attn = s.buffer("attn", n * a.heads * a.valueDim), proj = s.buffer("proj", n * dim)
            let ropeCache = s.buffer("rope", layer.rope.dimensions)
            normRows(x, layer.attnNorm, n, into: xn)
            MatMul.multiply([(layer.wq, q), (layer.wk, k), (layer.wv, v)], xn, tokens: n, pool: pool, scratch: mm)
            for t in 0..<n {
                let qt = q + t * qWidth, kt = k + t * kWidth, vt = v + t * vWidth
                if let b = layer.bq { Elementwise.add(qt, b, count: qWidth) }
                if let b = layer.bk { Elementwise.add(kt, b, count: kWidth) }
                if let b = layer.bv { Elementwise.add(vt, b, count: vWidth) }
                if let w = layer.qNorm { for h in 0..<a.heads { normInPlace(qt + h * a.keyDim, w, a.keyDim) } }
                if let w = layer.kNorm { for h in 0..<a.kvHeads { normInPlace(kt + h * a.keyDim, w, a.keyDim) } }
                let position = batch.positions[t], cache = batch.caches[t]
                layer.rope.fillCache(position: position, ropeCache)
                layer.rope.apply(qt, heads: a.heads, headDim: a.keyDim, cache: ropeCache)
                layer.rope.apply(kt, heads: a.kvHeads, headDim: a.keyDim, cache: ropeCache)
                if let scale = a.queryScale { Elementwise.scale(qt, by: scale, count: qWidth) }
                cache.store(kt, count: kWidth, key: true, layer: l, position: position)
                cache.store(vt, count: vWidth, key: false, layer: l, position: position)
            }
            Attention.attend(q: q, batch: batch, layer: l, shape: a, out: attn, pool: pool, scratch: s)
            MatMul.multiply(layer.wo, attn, tokens: n, into: proj, pool: pool, scratch: mm)
            if let w = layer.postAttnNorm { for t in 0..<n { normInPlace(proj + t * dim, w, dim) } }
            Elementwise.add(x, proj, count: n * dim)

            let ff = layer.gate.rows
            let gate = s.buffer("gate", n * ff), up = s.buffer("up", n * ff)
            normRows(x, layer.ffnNorm, n, into: xn)
            let activation = activation
            // The GLU runs on each thread's rows as soon as it has computed them.
            MatMul.multiply([(layer.gate, gate), (layer.up, up)], xn, tokens: n, pool: pool, scratch: mm) { rows in
                for t in 0..<n {
                    switch activation {
                    case .silu: Elementwise.swiGLU(gate + t * ff, up + t * ff, count: ff, elements: rows)
                    case .geluTanh: Elementwise.geGLU(gate + t * ff, up + t * ff, elements: rows)
                    }
                }
            }
            MatMul.multiply(layer.down, gate, tokens: n, into: proj, pool: pool, scratch: mm)
            if let w = layer.postFFNNorm { for t in 0..<n { normInPlace(proj + t * dim, w, dim) } }
            Elementwise.add(x, proj, count: n * dim)
        }
        batch.advance()
        return x
    }

    private func normInPlace(_ x: UnsafeMutablePointer<Float>, _ w: [Float], _ count: Int) {
        w.withUnsafeBufferPointer { wp in Elementwise.rmsNorm(x, weight: wp.baseAddress!, eps: eps, count: count, into: x) }
    }
}
