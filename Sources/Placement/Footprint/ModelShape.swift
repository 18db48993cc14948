import GGUF

/// The hyperparameters placement needs, read from `<arch>.*` keys with llama.cpp's defaults.
public struct ModelShape: Sendable, Equatable {
    public var architecture: String
    public var blockCount: Int
    public var embeddingLength: Int
    public var vocabularySize: Int
    public var headCount: Int
    public var headCountKV: Int
    /// Per-head key and value widths as the file declares them (`attention.key_length`, `value_length`).
    public var keyLength: Int
    public var valueLength: Int
    public var feedForwardLength: Int
    public var expertCount: Int
    public var expertUsedCount: Int
    public var expertSharedCount: Int
    public var expertFeedForwardLength: Int
    /// Multi-head latent attention (deepseek2): nil for other architectures.
    public var latent: LatentShape?

    public struct LatentShape: Sendable, Equatable {
        public var kvLoraRank: Int
        public var qLoraRank: Int
        public var ropeDimensions: Int
        /// Per-head q/k and v widths of the trained model (`key_length_mla`, or `key_length` in old files).
        public var queryKeyDim: Int
        public var valueDim: Int
        /// Old conversions ship one `attn_kv_b` per block instead of `attn_k_b`/`attn_v_b`.
        public var hasLegacyKVB: Bool
    }

    public init(file: GGUFFile) throws(PlacementError) {
        guard let arch = file.architecture else { throw .missingKey("general.architecture") }
        func int(_ key: String, _ fallback: Int? = nil) throws(PlacementError) -> Int {
            guard let v = file["\(arch).\(key)"] else {
                guard let fallback else { throw .missingKey("\(arch).\(key)") }
                return fallback
            }
            // Some files store per-layer arrays (e.g. head_count_kv); placement takes the largest.
            guard let i = v.intValue ?? v.arrayValue?.ints?.max() else { throw .missingKey("\(arch).\(key) (not an integer)") }
            return i
        }
        architecture = arch
        blockCount = try int("block_count")
        embeddingLength = try int("embedding_length")
        if let rows = file.tensor(named: "token_embd.weight")?.shape.last { vocabularySize = rows } else { vocabularySize = try int("vocab_size", 0) }
        headCount = try int("attention.head_count")
        headCountKV = try int("attention.head_count_kv", headCount)
        keyLength = try int("attention.key_length", headCount > 0 ? embeddingLength / headCount : 0)
        valueLength = try int("attention.value_length", keyLength)
        feedForwardLength = try int("feed_forward_length", 0)
        expertCount = try int("expert_count", 0)
        expertUsedCount = try int("expert_used_count", 0)
        expertSharedCount = try int("expert_shared_count", 0)
        expertFeedForwardLength = try int("expert_feed_forward_length", 0)
        if file["\(arch).attention.kv_lora_rank"] != nil {
            let legacy = file.tensor(named: "blk.0.attn_kv_b.weight") != nil
            latent = LatentShape(kvLoraRank: try int("attention.kv_lora_rank"), qLoraRank: try int("attention.q_lora_rank", 0),
                                 ropeDimensions: try int("rope.dimension_count"),
                                 queryKeyDim: try int("attention.key_length_mla", keyLength),
                                 valueDim: try int("attention.value_length_mla", valueLength), hasLegacyKVB: legacy)
        } else {
            latent = nil
        }
    }

    /// The share of a routed-expert tensor one decoded token reads: used of all experts.
    public var routedReadFraction: Double {
        expertCount > 0 ? Double(expertUsedCount) / Double(expertCount) : 1
    }
}
