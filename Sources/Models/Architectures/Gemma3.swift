import GGUF
import Kernels

/// `gemma3`: embeddings scaled by √dim; per-head RMSNorm on q and k; norms after attention and
/// after the FFN as well as before; GELU-tanh gated FFN; local sliding-window layers (RoPE base
/// `rope.freq_base_swa`, default 10 000) with a global layer every `sliding_window_pattern`
/// (default 6) layers using `rope.freq_base`; q scaled by 1/√head_dim before attention.
enum Gemma3 {
    static let ggufNames = ["gemma3"]

    static func load(_ file: GGUFFile) throws(ModelError) -> any LanguageModel {
        let hp = Hyperparameters(file: file, arch: "gemma3")
        var w = WeightLoader(file: file)
        let c = try DenseConfig(hp, ropeMode: .neox)
        let window = try hp.int("attention.sliding_window", default: 0)
        let period = try hp.int("attention.sliding_window_pattern", default: 6)
        let localBase = try hp.float("rope.freq_base_swa", default: 10_000)
        let softcap = try hp.float("final_logit_softcapping", default: 0)
        guard softcap == 0 else { throw .badHyperparameter(key: "gemma3.final_logit_softcapping", reason: "soft-capping is not supported yet") }
        guard let vocab = file.tensor(named: "token_embd.weight")?.shape.last else { throw .missingTensor("token_embd.weight") }

        var layers: [DenseDecoder.Layer] = []
        for i in 0..<c.layers {
            let p = "blk.\(i)."
            // Local (sliding-window) layers are all but every period-th one.
            let local = window > 0 && (period == 0 || i % period < period - 1)
            var rope = c.rope
            if local { rope.freqBase = localBase }
            var attention = c.attention
            attention.scale = 1
            attention.queryScale = 1 / Float(c.keyDim).squareRoot()
            attention.slidingWindow = local ? window : nil
            layers.append(DenseDecoder.Layer(
                attnNorm: try w.vector(p + "attn_norm.weight", count: c.dim),
                wq: try w.matrix(p + "attn_q.weight", rows: c.heads * c.keyDim, cols: c.dim),
                wk: try w.matrix(p + "attn_k.weight", rows: c.kvHeads * c.keyDim, cols: c.dim),
                wv: try w.matrix(p + "attn_v.weight", rows: c.kvHeads * c.valueDim, cols: c.dim),
                wo: try w.matrix(p + "attn_output.weight", rows: c.dim, cols: c.heads * c.valueDim),
                qNorm: try w.vector(p + "attn_q_norm.weight", count: c.keyDim),
                kNorm: try w.vector(p + "attn_k_norm.weight", count: c.keyDim),
                postAttnNorm: try w.vector(p + "post_attention_norm.weight", count: c.dim),
                ffnNorm: try w.vector(p + "ffn_norm.weight", count: c.dim),
                gate: try w.matrix(p + "ffn_gate.weight", rows: c.feedForward, cols: c.dim),
                up: try w.matrix(p + "ffn_up.weight", rows: c.feedForward, cols: c.dim),
                down: try w.matrix(p + "ffn_down.weight", rows: c.dim, cols: c.feedForward),
                postFFNNorm: try w.vector(p + "post_ffw_norm.weight", count: c.dim),
                rope: rope, attention: attention))
        }
        return DenseDecoder(
            dim: c.dim, eps: c.eps, embedding: try w.matrix("token_embd.weight", rows: vocab, cols: c.dim),
            embeddingScale: Float(c.dim).squareRoot(), outputNorm: try w.vector("output_norm.weight", count: c.dim),
            output: try c.outputMatrix(&w, vocab: vocab), layers: layers, activation: .geluTanh,
            trainedContextLength: c.contextLength, declaredPooling: c.pooling)
    }
}
