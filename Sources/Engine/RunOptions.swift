import Grammar
import Models
import Sampling

/// Everything a generation can be configured with: Ollama's options (Modelfile PARAMETERs and
/// request `options`), typed. Sampling options live in `sampling`; the rest steer the engine.
public struct RunOptions: Sendable, Equatable {
    public var sampling = SamplingOptions()
    /// Worker threads; 0 = one per available core.
    public var numThread = 0
    /// Prompt-processing batch size.
    public var numBatch = 512
    /// Tokens kept at the start when the context must be cut (accepted; the engine stops at a full context).
    public var numKeep = 4
    /// How the KV cache stores keys and values (Ollama's `OLLAMA_KV_CACHE_TYPE`); f16 as llama.cpp by default.
    public var kvCacheType = KVCacheType.f16
    /// Structured output (Ollama's `format`): sampling is constrained so the answer is one JSON value
    /// of this grammar, and generation ends when the value does. Nil: unconstrained.
    public var grammar: JSONGrammar?
    /// When set, `grammar` applies only after the output contains this text (a thinking model's
    /// closing tag: it thinks freely, then answers in the constrained format).
    public var grammarStartsAfter: String?

    public init() {}

    /// The kind of value an option takes, as Ollama's error messages name it.
    public enum Kind: String, Sendable { case integer, float32, boolean, string, array }

    /// Every option name Ollama accepts and its kind; legacy names are accepted and ignored.
    public static let kinds: [String: Kind] = [
        "num_ctx": .integer, "num_batch": .integer, "num_gpu": .integer, "main_gpu": .integer, "use_mmap": .boolean,
        "num_thread": .integer, "num_keep": .integer, "seed": .integer, "num_predict": .integer, "top_k": .integer,
        "top_p": .float32, "min_p": .float32, "typical_p": .float32, "repeat_last_n": .integer,
        "temperature": .float32, "repeat_penalty": .float32, "presence_penalty": .float32,
        "frequency_penalty": .float32, "stop": .array,
    ]
    public static let ignoredLegacy: Set<String> = [
        "mirostat", "mirostat_tau", "mirostat_eta", "penalize_newline", "tfs_z", "numa", "low_vram", "f16_kv",
        "logits_all", "vocab_only", "use_mlock", "num_gqa", "rope_frequency_base", "rope_frequency_scale",
    ]

    /// Sets `name` from its text form (a Modelfile PARAMETER or `-o name=value`). `stop` values
    /// accumulate. Unknown names and wrong kinds throw an error that names the option.
    public mutating func set(_ name: String, text: String) throws(RunOptionError) {
        if Self.ignoredLegacy.contains(name) { return }
        guard let kind = Self.kinds[name] else { throw .unknown(name) }
        switch kind {
        case .integer:
            guard let v = Int(text) else { throw .wrongType(name, kind) }
            try set(name, int: v)
        case .float32:
            guard let v = Float(text), v.isFinite else { throw .wrongType(name, kind) }
            try set(name, float: v)
        case .boolean:
            guard let v = Bool(text.lowercased()) else { throw .wrongType(name, kind) }
            _ = v  // use_mmap: weights are always mapped
        case .array, .string:
            sampling.stop.append(text)
        }
    }

    public mutating func set(_ name: String, int v: Int) throws(RunOptionError) {
        switch name {
        case "num_ctx": guard v >= 4 else { throw .outOfRange(name, "at least 4") }; sampling.numCtx = v
        case "num_batch": guard v >= 1 else { throw .outOfRange(name, "at least 1") }; numBatch = v
        case "num_thread": guard v >= 0 else { throw .outOfRange(name, "0 (auto) or more") }; numThread = v
        case "num_keep": numKeep = v
        case "seed": sampling.seed = v
        case "num_predict": sampling.numPredict = v
        case "top_k": sampling.topK = v
        case "repeat_last_n": sampling.repeatLastN = v
        case "num_gpu", "main_gpu": break  // CPU engine: placement arrives with the planner
        default: try set(name, float: Float(v))
        }
    }

    public mutating func set(_ name: String, float v: Float) throws(RunOptionError) {
        switch name {
        case "top_p": sampling.topP = v
        case "min_p": sampling.minP = v
        case "typical_p": sampling.typicalP = v
        case "temperature": sampling.temperature = v
        case "repeat_penalty": sampling.repeatPenalty = v
        case "presence_penalty": sampling.presencePenalty = v
        case "frequency_penalty": sampling.frequencyPenalty = v
        default: throw .wrongType(name, Self.kinds[name] ?? .float32)
        }
    }
}

/// A rejected option, worded as Ollama words it.
public enum RunOptionError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case wrongType(String, RunOptions.Kind)
    case outOfRange(String, String)

    public var description: String {
        switch self {
        case .unknown(let n): "unknown parameter '\(n)'"
        case .wrongType(let n, let k): "option \"\(n)\" must be of type \(k.rawValue)"
        case .outOfRange(let n, let r): "option \"\(n)\" must be \(r)"
        }
    }
}
