/// deepseek2 (DeepSeek-V2, V3, R1): multi-head latent attention over a compressed cache and a
/// mixture of experts (docs/deepseek.md).
struct DeepSeek2Rules: ArchitectureRules {
    /// Tern caches one row per token and layer of `kv_lora_rank + rope dims` values whose latent part
    /// is also the value (`KVCache(latentWidth:ropeWidth:)`), old `attn_kv_b` files included.
    func kvBytesPerTokenPerLayer(_ shape: ModelShape, _ type: KVCacheType) -> Int? {
        guard let latent = shape.latent else { return nil }
        return type.rowBytes(latent.kvLoraRank + latent.ropeDimensions)
    }

    /// `DeepSeek2.makeState` keeps the compressed cache in f16 only.
    func engineSupports(_ type: KVCacheType) -> Bool { type == .f16 }

    /// MLA's scratch (query, latent query per head, latents, values, one head's rows per thread),
    /// the dense FFN's or the MoE's (scores, per-slot outputs, shared expert), and the logits row.
    func workingSetBytes(_ shape: ModelShape, batch: Int, context: Int, threads: Int) -> Int {
        let latent = shape.latent ?? .init(kvLoraRank: 0, qLoraRank: 0, ropeDimensions: 0, queryKeyDim: 0, valueDim: 0, hasLegacyKVB: false)
        let row = latent.kvLoraRank + latent.ropeDimensions
        let e = shape.embeddingLength, h = shape.headCount
        let attention = h * latent.queryKeyDim + latent.qLoraRank + row + h * row + h * latent.kvLoraRank + h * latent.valueDim
            + 2 * threads * row
        let dense = 2 * shape.feedForwardLength
        let experts = shape.expertCount + shape.expertUsedCount * (1 + e) + 3 * e + 2 * shape.expertFeedForwardLength
        return 4 * (batch * (3 * e + attention + dense + experts) + threads * context + shape.vocabularySize)
    }

    /// Ollama's deepseek2 formula (spec §6.5.1), from the file's declared key length and KV heads.
    func ollamaGraph(_ shape: ModelShape, batch b: Int, context c: Int, kvBytes: Int) -> (full: Int, partial: Int) {
        let e = shape.embeddingLength, v = shape.vocabularySize, hkv = shape.headCountKV, dk = shape.keyLength
        let full = max(4 * b * (3 * e + v), 4 * b * (3 * e + 2 + c * (1 + hkv) + 2 * dk * hkv))
        let partial = max(4 * b * (3 * e + v) + e * v * 105 / 128,
                          4 * b * (2 * e + 1 + 2 * dk * hkv + c + c * hkv) + 4 * dk * c * hkv + e * dk * hkv * 9 / 16)
        return (full, partial)
    }

    /// Old files make llama.cpp cache full per-head keys and values; Tern splits `attn_kv_b` and keeps
    /// the compressed cache.
    func cacheNotes(_ shape: ModelShape, context: Int) -> [String] {
        guard let latent = shape.latent, latent.hasLegacyKVB else { return [] }
        let uncompressed = shape.blockCount * shape.headCount * (latent.queryKeyDim + latent.valueDim) * 2
        return ["this file has the old attn_kv_b layout: llama.cpp would cache keys and values uncompressed, "
                + "\(uncompressed) B per token (\(ByteSize.format(uncompressed * context)) at \(context) tokens); "
                + "Tern splits attn_kv_b and keeps the compressed MLA cache"]
    }
}
