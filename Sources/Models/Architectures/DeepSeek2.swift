import GGUF
import Kernels

/// `deepseek2` (DeepSeek-V2, V3, R1): pre-norm blocks of multi-head latent attention over a
/// compressed cache (`LatentAttention`), then a SiLU-gated FFN in the first
/// `leading_dense_block_count` blocks and a mixture of experts with shared experts in the rest
/// (`MixtureOfExperts`); the LM head is `output.weight`, or the token embedding when tied.
final class DeepSeek2: HiddenStateModel, MoEStatistics {
    static let ggufNames = ["deepseek2"]

    enum FeedForward: Sendable {
        case dense(GatedFFN)
        case experts(MixtureOfExperts)
    }

    struct Layer: Sendable {
        var attnNorm: [Float]
        var attention: LatentAttention
        var ffnNorm: [Float]
        var feedForward: FeedForward
    }

    let dim: Int
    let eps: Float
    let mla: MLAConfig
    let embedding: WeightMatrix
    let outputNorm: [Float]
    let output: WeightMatrix
    let layers: [Layer]
    let trainedContextLength: Int
    let declaredPooling: PoolingType?
    var vocabularySize: Int { output.rows }

    init(file: GGUFFile) throws(ModelError) {
        let hp = Hyperparameters(file: file, arch: "deepseek2")
        var w = WeightLoader(file: file)
        dim = try hp.int("embedding_length")
        eps = try hp.float("attention.layer_norm_rms_epsilon")
        trainedContextLength = try hp.int("context_length")
        declaredPooling = try PoolingType.declared(by: hp)
        mla = try MLAConfig(hp)
        let blocks = try hp.int("block_count")
        let leadingDense = try hp.int("leading_dense_block_count", default: 0)
        guard let vocab = file.tensor(named: "token_embd.weight")?.shape.last else { throw .missingTensor("token_embd.weight") }
        embedding = try w.matrix("token_embd.weight", rows: vocab, cols: dim)
        outputNorm = try w.vector("output_norm.weight", count: dim)
        output = w.has("output.weight") ? try w.matrix("output.weight", rows: vocab, cols: dim) : embedding

        // Only the kinds of block the file has need their keys.
        let denseWidth = leadingDense > 0 ? try hp.int("feed_forward_length") : 0
        let moe = leadingDense < blocks
            ? (routing: try ExpertRouting(hp), width: try hp.int("expert_feed_forward_length"),
               shared: try hp.int("expert_shared_count", default: 0))
            : nil
        var built: [Layer] = []
        for i in 0..<blocks {
            let feedForward: FeedForward
            if let moe, i >= leadingDense {
                feedForward = .experts(try MixtureOfExperts(&w, layer: i, dim: dim, expertWidth: moe.width,
                                                            sharedExperts: moe.shared, routing: moe.routing))
            } else {
                feedForward = .dense(try GatedFFN(&w, layer: i, dim: dim, width: denseWidth))
            }
            built.append(Layer(attnNorm: try w.vector("blk.\(i).attn_norm.weight", count: dim),
                               attention: try LatentAttention(&w, layer: i, dim: dim, config: mla, eps: eps),
                               ffnNorm: try w.vector("blk.\(i).ffn_norm.weight", count: dim),
                               feedForward: feedForward))
        }
        layers = built
    }

    var expertWeightBytes: Int { moeLayers.reduce(0) { $0 + $1.expertWeightBytes } }

    var expectedExpertFraction: Double {
        let total = expertWeightBytes
        return total == 0 ? 0 : moeLayers.reduce(0) { $0 + $1.expectedBytesPerToken } / Double(total)
    }

    private var moeLayers: [MixtureOfExperts] {
        layers.compactMap { if case .experts(let m) = $0.feedForward { m } else { nil } }
    }

    func makeState(contextSize: Int, batchSize: Int, pool: ThreadPool, cacheType: KVCacheType) throws(ModelError) -> ModelState {
        guard cacheType == .f16 else {
            throw .unsupportedCacheType(cacheType.rawValue, reason: "the compressed MLA cache of deepseek2 is kept in f16")
        }
        let cache = KVCache(layers: layers.count, contextSize: contextSize, latentWidth: mla.latentWidth, ropeWidth: mla.ropeDim)
        return ModelState(contextSize: contextSize, batchSize: batchSize, cache: cache, pool: pool)
    }

    func runBlocks(_ batch: ForwardBatch) -> UnsafeMutablePointer<Float> {
        let n = batch.count, tokens = batch.tokens, state = batch.work, s = state.scratch
        let x = s.buffer("x", n * dim), xn = s.buffer("xn", n * dim), out = s.buffer("blockOut", n * dim)
        for (t, id) in tokens.enumerated() { MatMul.dequantizeRow(embedding, Int(id), into: x + t * dim) }
        for (l, layer) in layers.enumerated() {
            normRows(x, layer.attnNorm, n, into: xn)
            layer.attention.apply(xn, batch: batch, layer: l, into: out)
            Elementwise.add(x, out, count: n * dim)
            normRows(x, layer.ffnNorm, n, into: xn)
            switch layer.feedForward {
            case .dense(let ffn): ffn.apply(xn, tokens: n, into: out, state: state)
            case .experts(let moe): moe.apply(xn, tokens: n, into: out, state: state)
            }
            Elementwise.add(x, out, count: n * dim)
        }
        batch.advance()
        return x
    }
}
