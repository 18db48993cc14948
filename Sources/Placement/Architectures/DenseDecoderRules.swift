/// llama, qwen2, gemma3 and any other decoder with per-head keys and values in its cache.
struct DenseDecoderRules: ArchitectureRules {
    let architecture: String

    /// The engine keeps `head_count_kv` key rows and value rows per layer; a quantized row is whole
    /// blocks per head, as `DenseDecoder.makeCache` checks.
    func kvBytesPerTokenPerLayer(_ shape: ModelShape, _ type: KVCacheType) -> Int? {
        guard let k = type.rowBytes(shape.keyLength), let v = type.rowBytes(shape.valueLength) else { return nil }
        return shape.headCountKV * (k + v)
    }

    func engineSupports(_ type: KVCacheType) -> Bool { type != .q4_0 }

    /// The dense decoder's named scratch buffers (x, xn, q, k, v, attn, proj, gate, up per token of
    /// the batch), one attention-score row per thread, and the last token's logits.
    func workingSetBytes(_ shape: ModelShape, batch: Int, context: Int, threads: Int) -> Int {
        let perToken = 3 * shape.embeddingLength + shape.headCount * (shape.keyLength + shape.valueLength)
            + shape.headCountKV * (shape.keyLength + shape.valueLength) + 2 * shape.feedForwardLength
        let perThread = context + shape.keyLength + shape.valueLength
        return 4 * (batch * perToken + threads * perThread + shape.vocabularySize)
    }

    /// Ollama's llama formula; other dense architectures get its generic estimate.
    func ollamaGraph(_ shape: ModelShape, batch b: Int, context c: Int, kvBytes: Int) -> (full: Int, partial: Int) {
        guard architecture == "llama" else { return ollamaFallbackGraph(shape, kvBytes: kvBytes) }
        let e = shape.embeddingLength, v = shape.vocabularySize, h = shape.headCount
        let full = max(4 * b * (1 + 4 * e + c * (1 + h)), 4 * b * (e + v))
        let partial = 4 * b * e + max(4 * b * (1 + e + max(c, e)) + e * e * 9 / 16 + 4 * c * (b * h + shape.keyLength * shape.headCountKV),
                                      4 * b * (e + v) + e * v * 105 / 128)
        return (full, partial)
    }
}
