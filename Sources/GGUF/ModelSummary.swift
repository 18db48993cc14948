/// The facts a person wants first about a model file, read from the header alone
/// (what `ollama show` prints).
public struct ModelSummary: Sendable, Equatable {
    public var architecture: String?
    public var name: String?
    public var parameterCount: Int
    public var quantization: String
    public var contextLength: Int?
    public var embeddingLength: Int?
    public var blockCount: Int?
    /// Attention heads; a per-layer array in some files, summarised by its largest entry.
    public var headCount: Int?
    public var headCountKV: Int?
    public var expertCount: Int?
    public var expertUsedCount: Int?
    public var tokenizerModel: String?
    public var vocabularySize: Int?
    public var hasChatTemplate: Bool
    public var fileSize: Int
    public var tensorBytes: Int

    public init(_ file: GGUFFile) {
        let arch = file.architecture
        func archInt(_ suffix: String) -> Int? {
            guard let arch, let v = file["\(arch).\(suffix)"] else { return nil }
            if let i = v.intValue { return i }
            return v.arrayValue?.ints?.max()
        }
        architecture = arch
        name = file["general.name"]?.stringValue
        parameterCount = file.tensors.reduce(0) { $0 + $1.elementCount }
        quantization = Self.quantizationName(file)
        contextLength = archInt("context_length")
        embeddingLength = archInt("embedding_length")
        blockCount = archInt("block_count")
        headCount = archInt("attention.head_count")
        headCountKV = archInt("attention.head_count_kv")
        expertCount = archInt("expert_count")
        expertUsedCount = archInt("expert_used_count")
        tokenizerModel = file["tokenizer.ggml.model"]?.stringValue
        vocabularySize = file["tokenizer.ggml.tokens"]?.arrayValue?.count
        hasChatTemplate = file["tokenizer.chat_template"]?.stringValue != nil
        fileSize = file.fileSize
        tensorBytes = file.tensors.reduce(0) { $0 + $1.byteCount }
    }

    /// `general.file_type` named as llama.cpp names its `llama_ftype` values; when absent, the most
    /// common type of the 2-D tensors, as llama.cpp guesses it.
    static func quantizationName(_ file: GGUFFile) -> String {
        if let ftype = file["general.file_type"]?.intValue, let name = fileTypeNames[ftype] { return name }
        var bytesByType: [GGMLType: Int] = [:]
        for t in file.tensors where t.shape.count >= 2 { bytesByType[t.type, default: 0] += t.elementCount }
        return bytesByType.max { $0.value < $1.value }?.key.name.uppercased() ?? "unknown"
    }

    /// `llama_ftype` (llama.h at llama.cpp 84f71294) → the name Ollama and llama.cpp show.
    static let fileTypeNames: [Int: String] = [
        0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
        11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M",
        18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S",
        25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M",
        32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE", 39: "NVFP4", 40: "Q1_0", 41: "Q2_0",
    ]

    /// A parameter count as Ollama prints it: "134.52M", "8.0B".
    public static func formatParameters(_ n: Int) -> String {
        let v = Double(n)
        func fixed(_ x: Double, _ digits: Int) -> String {
            var p = 1.0
            for _ in 0..<digits { p *= 10 }
            let r = (x * p).rounded() / p
            var s = "\(r)"
            if let dot = s.firstIndex(of: ".") {
                let decimals = s.distance(from: dot, to: s.endIndex) - 1
                s += String(repeating: "0", count: max(0, digits - decimals))
            } else {
                s += "." + String(repeating: "0", count: digits)
            }
            return s
        }
        switch v {
        case 1e12...: return fixed(v / 1e12, 1) + "T"
        case 1e9...: return fixed(v / 1e9, 1) + "B"
        case 1e6...: return fixed(v / 1e6, 2) + "M"
        case 1e3...: return fixed(v / 1e3, 2) + "K"
        default: return "\(n)"
        }
    }
}
