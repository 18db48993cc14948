#if canImport(Glibc)
import Glibc
#endif
import GGUF
import Kernels

/// The shape of multi-head latent attention (DeepSeek-V2/V3) and its RoPE/YaRN settings, read
/// from `<arch>.*` keys and combined exactly as llama.cpp combines them for `deepseek2`.
struct MLAConfig: Sendable, Equatable {
    var heads: Int
    /// Width of the low-rank query (`attention.q_lora_rank`); 0 means a plain `attn_q`.
    var queryRank: Int
    /// Width of the compressed KV latent (`attention.kv_lora_rank`): what the cache keeps per token.
    var latentWidth: Int
    /// Per-head query/key width without position (`qk_nope_head_dim`).
    var nopeDim: Int
    /// Per-head RoPE width (`rope.dimension_count`), one RoPE key shared by all heads.
    var ropeDim: Int
    /// Per-head value width after `attn_v_b`.
    var valueDim: Int
    var rope: RopeConfig
    /// The attention-score scale: YaRN's mscale² / √(nope + rope).
    var kqScale: Float

    /// Per-head q/k width as the model was trained (`qk_nope + qk_rope`).
    var queryKeyDim: Int { nopeDim + ropeDim }

    /// Cache row per token and layer: the latent, then the RoPE key.
    var cacheRowWidth: Int { latentWidth + ropeDim }

    init(_ hp: Hyperparameters) throws(ModelError) {
        heads = try hp.int("attention.head_count")
        queryRank = try hp.int("attention.q_lora_rank", default: 0)
        latentWidth = try hp.int("attention.kv_lora_rank")
        ropeDim = try hp.int("rope.dimension_count")
        // Files converted before the split into attn_k_b/attn_v_b have no *_mla keys; their
        // key/value lengths are then the per-head MHA widths, which are the same numbers.
        let keyDim = hp.file["\(hp.arch).attention.key_length_mla"] != nil
            ? try hp.int("attention.key_length_mla") : try hp.int("attention.key_length")
        valueDim = hp.file["\(hp.arch).attention.value_length_mla"] != nil
            ? try hp.int("attention.value_length_mla") : try hp.int("attention.value_length")
        nopeDim = keyDim - ropeDim
        guard nopeDim >= 1 else {
            throw .badHyperparameter(key: "\(hp.arch).attention.key_length_mla", reason: "\(keyDim) leaves no room beside \(ropeDim) RoPE dimensions")
        }
        (rope, kqScale) = try Self.yarn(hp, ropeDim: ropeDim, keyDim: keyDim)
    }

    /// RoPE settings and kq_scale as llama.cpp derives them for `deepseek2`. llama.cpp reads
    /// `rope.scaling.yarn_log_multiplier` divided by 0.1 (the convert script stores 0.1 ×
    /// mscale_all_dim), sets the rope's attn_factor so that ggml's internal YaRN magnitude
    /// cancels, and folds mscale² into the score scale instead. It keeps beta_fast/beta_slow at
    /// 32/1 whatever the file says, so the keys are not read here either.
    private static func yarn(_ hp: Hyperparameters, ropeDim: Int, keyDim: Int) throws(ModelError) -> (RopeConfig, Float) {
        var rope = RopeConfig(mode: .normal, dimensions: ropeDim, freqBase: try hp.float("rope.freq_base", default: 10_000))
        let scaling = hp.string("rope.scaling.type") ?? "linear"
        let factor = try hp.float("rope.scaling.factor", default: try hp.float("rope.scale_linear", default: 0))
        let freqScale: Float = scaling == "none" || factor == 0 ? 1 : 1 / factor
        let logKey = "\(hp.arch).rope.scaling.yarn_log_multiplier"
        let logMultiplier: Float = hp.file[logKey] == nil ? 0 : try hp.float("rope.scaling.yarn_log_multiplier") / 0.1
        let extFactor: Float = scaling == "yarn" ? 1 : 0

        func mscale(_ scale: Float, _ m: Float) -> Float { scale <= 1 ? 1 : 0.1 * m * logf(scale) + 1 }
        var attnFactor: Float = 1
        if extFactor != 0 {
            let f = 1 / freqScale
            // With a log multiplier, llama.cpp's deepseek2 case divides mscale(f, m) by itself.
            attnFactor = logMultiplier != 0 ? 1 : mscale(f, 1)
            attnFactor *= 1 / (1 + 0.1 * logf(f))
        }
        attnFactor *= try hp.float("rope.scaling.attn_factor", default: 1)

        rope.freqScale = freqScale
        rope.extFactor = extFactor
        rope.attnFactor = attnFactor
        rope.originalContext = try hp.int("rope.scaling.original_context_length", default: try hp.int("context_length"))

        let unscaled = attnFactor * (1 + 0.1 * logf(1 / freqScale))
        let m = unscaled * (1 + 0.1 * logMultiplier * logf(1 / freqScale))
        return (rope, 1 * m * m / sqrtf(Float(keyDim)))
    }
}
