import GGUF
import Kernels

/// The hyperparameters every llama-family decoder reads, and the standard tensor names
/// (`blk.N.attn_q.weight`, …) that build a `DenseDecoder` from them.
struct DenseConfig {
    let dim: Int, layers: Int, heads: Int, kvHeads: Int, keyDim: Int, valueDim: Int
    let feedForward: Int, eps: Float, contextLength: Int
    let pooling: PoolingType?
    var rope: RopeConfig

    init(_ hp: Hyperparameters, ropeMode: RopeConfig.Mode) throws(ModelError) {
        dim = try hp.int("embedding_length")
        layers = try hp.int("block_count")
        heads = try hp.int("attention.head_count")
        kvHeads = try hp.int("attention.head_count_kv", default: heads)
        keyDim = try hp.int("attention.key_length", default: dim / heads)
        valueDim = try hp.int("attention.value_length", default: keyDim)
        feedForward = try hp.int("feed_forward_length")
        eps = try hp.float("attention.layer_norm_rms_epsilon")
        contextLength = try hp.int("context_length")
        pooling = try PoolingType.declared(by: hp)
        rope = RopeConfig(mode: ropeMode, dimensions: try hp.int("rope.dimension_count", default: keyDim),
                          freqBase: try hp.float("rope.freq_base", default: 10_000))
        guard heads > 0, kvHeads > 0, heads % kvHeads == 0 else {
            throw .badHyperparameter(key: "\(hp.arch).attention.head_count_kv", reason: "\(kvHeads) does not divide \(heads) heads")
        }
    }

    var attention: AttentionShape {
        AttentionShape(heads: heads, kvHeads: kvHeads, keyDim: keyDim, valueDim: valueDim,
                       scale: 1 / Float(keyDim).squareRoot(), slidingWindow: nil)
    }

    /// The output head: `output.weight`, or the token embedding when the file ties them.
    func outputMatrix(_ w: inout WeightLoader, vocab: Int) throws(ModelError) -> WeightMatrix {
        w.has("output.weight") ? try w.matrix("output.weight", rows: vocab, cols: dim)
                               : try w.matrix("token_embd.weight", rows: vocab, cols: dim)
    }

    func decoder(_ w: inout WeightLoader, biases: Bool) throws(ModelError) -> DenseDecoder {
        guard let vocab = w.file.tensor(named: "token_embd.weight")?.shape.last else { throw .missingTensor("token_embd.weight") }
        let embedding = try w.matrix("token_embd.weight", rows: vocab, cols: dim)
        var built: [DenseDecoder.Layer] = []
        for i in 0..<layers {
            let p = "blk.\(i)."
            built.append(DenseDecoder.Layer(
                attnNorm: try w.vector(p + "attn_norm.weight", count: dim),
                wq: try w.matrix(p + "attn_q.weight", rows: heads * keyDim, cols: dim),
                wk: try w.matrix(p + "attn_k.weight", rows: kvHeads * keyDim, cols: dim),
                wv: try w.matrix(p + "attn_v.weight", rows: kvHeads * valueDim, cols: dim),
                wo: try w.matrix(p + "attn_output.weight", rows: dim, cols: heads * valueDim),
                bq: biases ? try w.vector(p + "attn_q.bias", count: heads * keyDim) : nil,
                bk: biases ? try w.vector(p + "attn_k.bias", count: kvHeads * keyDim) : nil,
                bv: biases ? try w.vector(p + "attn_v.bias", count: kvHeads * valueDim) : nil,
                ffnNorm: try w.vector(p + "ffn_norm.weight", count: dim),
                gate: try w.matrix(p + "ffn_gate.weight", rows: feedForward, cols: dim),
                up: try w.matrix(p + "ffn_up.weight", rows: feedForward, cols: dim),
                down: try w.matrix(p + "ffn_down.weight", rows: dim, cols: feedForward),
                rope: rope, attention: attention))
        }
        return DenseDecoder(dim: dim, eps: eps, embedding: embedding, embeddingScale: nil,
                            outputNorm: try w.vector("output_norm.weight", count: dim),
                            output: try outputMatrix(&w, vocab: vocab), layers: built, activation: .silu,
                            trainedContextLength: contextLength, declaredPooling: pooling)
    }
}
