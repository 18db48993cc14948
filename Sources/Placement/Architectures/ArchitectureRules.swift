/// What an architecture contributes to a plan beyond its tensor sizes: its KV-cache layout, the
/// scratch its forward pass needs, and Ollama's graph estimate for it (spec §6.5.1).
protocol ArchitectureRules: Sendable {
    func kvBytesPerTokenPerLayer(_ shape: ModelShape, _ type: KVCacheType) -> Int?
    func engineSupports(_ type: KVCacheType) -> Bool
    func workingSetBytes(_ shape: ModelShape, batch: Int, context: Int, threads: Int) -> Int
    /// Ollama's compute-graph sizes for full and partial offload (`G_full`, `G_partial`).
    func ollamaGraph(_ shape: ModelShape, batch: Int, context: Int, kvBytes: Int) -> (full: Int, partial: Int)
    func cacheNotes(_ shape: ModelShape, context: Int) -> [String]
}

extension ArchitectureRules {
    func cacheNotes(_ shape: ModelShape, context: Int) -> [String] { [] }

    /// Ollama's estimate for architectures it has no formula for: `(H / H_kv) · KV / 6`, both sizes alike.
    func ollamaFallbackGraph(_ shape: ModelShape, kvBytes: Int) -> (full: Int, partial: Int) {
        let partial = shape.headCountKV > 0 ? shape.headCount / shape.headCountKV * kvBytes / 6 : 0
        return (partial, partial)
    }
}

func architectureRules(for architecture: String) -> any ArchitectureRules {
    switch architecture {
    case "deepseek2": DeepSeek2Rules()
    default: DenseDecoderRules(architecture: architecture)
    }
}
