import JSON
/// Ollama's option table (§1.5) as Modelfile PARAMETERs see it: each name's type, and the legacy
/// names that are accepted with a warning and dropped.
public enum ParameterTable {
    /// The Go type behind an option, which decides how a PARAMETER's text is parsed.
    public enum Kind: Sendable {
        /// Go `int` (`strconv.ParseInt`, base 10).
        case integer
        /// Go `float32` (`strconv.ParseFloat`, 32 bits).
        case float
        /// Go `bool` (`strconv.ParseBool`: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False).
        case boolean
        /// Go `[]string`: repeated PARAMETER lines accumulate.
        case stringList
    }

    /// Every option a PARAMETER may set, by name (case-sensitive, as Ollama's JSON tags).
    public static let kinds: [String: Kind] = [
        "num_ctx": .integer, "num_batch": .integer, "num_gpu": .integer, "main_gpu": .integer,
        "use_mmap": .boolean, "num_thread": .integer, "draft_num_predict": .integer,
        "num_keep": .integer, "seed": .integer, "num_predict": .integer, "top_k": .integer,
        "top_p": .float, "min_p": .float, "typical_p": .float, "repeat_last_n": .integer,
        "temperature": .float, "repeat_penalty": .float, "presence_penalty": .float,
        "frequency_penalty": .float, "stop": .stringList,
    ]

    /// Options Ollama dropped; a Modelfile that sets one gets `parameter X is deprecated`.
    public static let deprecated: Set<String> = [
        "mirostat", "mirostat_tau", "mirostat_eta", "penalize_newline", "tfs_z", "numa", "low_vram",
        "f16_kv", "logits_all", "vocab_only", "use_mlock", "num_gqa", "rope_frequency_base",
        "rope_frequency_scale",
    ]

    /// The JSON value Ollama's `api.FormatParams` makes of one PARAMETER's text, or its error
    /// text (`unknown parameter 'x'`, `invalid float value [x]`, …).
    public static func value(of name: String, text: String) -> Result<JSONValue, ParameterError> {
        guard let kind = kinds[name] else { return .failure(ParameterError("unknown parameter '\(name)'")) }
        switch kind {
        case .integer:
            guard let i = Int(text) else { return .failure(ParameterError("invalid int value [\(text)]")) }
            return .success(.int(i))
        case .float:
            guard isGoFloatSyntax(text), let f = Float(text), f.isFinite else {
                return .failure(ParameterError("invalid float value [\(text)]"))
            }
            return .success(.float32(f))
        case .boolean:
            switch text {
            case "1", "t", "T", "TRUE", "true", "True": return .success(.bool(true))
            case "0", "f", "F", "FALSE", "false", "False": return .success(.bool(false))
            default: return .failure(ParameterError("invalid bool value [\(text)]"))
            }
        case .stringList:
            return .success(.array([.string(text)]))
        }
    }

    /// Decimal (`-1.5e3`, `.5`, `5.`) or hexadecimal (`0x1.8p3`) float syntax as Go's ParseFloat
    /// reads it. Infinities and NaN are left out: Ollama would accept them here and then fail to
    /// write the params layer, since JSON cannot hold them.
    static func isGoFloatSyntax(_ text: String) -> Bool {
        var s = Substring(text)
        if s.first == "+" || s.first == "-" { s = s.dropFirst() }
        let hex = s.lowercased().hasPrefix("0x")
        if hex { s = s.dropFirst(2) }
        let isDigit: (Character) -> Bool = hex ? { $0.isHexDigit } : { $0.isASCII && $0.isNumber }
        let whole = s.prefix(while: isDigit)
        s = s.dropFirst(whole.count)
        var fraction: Substring = ""
        if s.first == "." {
            s = s.dropFirst()
            fraction = s.prefix(while: isDigit)
            s = s.dropFirst(fraction.count)
        }
        guard !whole.isEmpty || !fraction.isEmpty else { return false }
        let marker: Set<Character> = hex ? ["p", "P"] : ["e", "E"]
        guard let m = s.first, marker.contains(m) else { return s.isEmpty && !hex }
        s = s.dropFirst()
        if s.first == "+" || s.first == "-" { s = s.dropFirst() }
        return !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// A PARAMETER whose name or value Ollama rejects; `message` is Ollama's text.
public struct ParameterError: Error, Equatable {
    public var message: String
    init(_ message: String) { self.message = message }
}
