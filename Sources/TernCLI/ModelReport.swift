import GGUF
import JSON
import ModelStore

/// Renders a GGUF file for `tern show`: Ollama's sectioned text, or JSON.
enum ModelReport {
    /// Arrays longer than this are elided in JSON unless asked for in full.
    static let arrayElisionLimit = 16

    static func json(_ file: GGUFFile, fullArrays: Bool) -> JSONValue {
        let metadata = file.metadata.map { entry -> (String, JSONValue) in
            (entry.key, typedValue(entry.value, fullArrays: fullArrays))
        }
        let tensors = file.tensors.map { t -> JSONValue in
            .object([("name", .string(t.name)), ("type", .string(t.type.name)),
                     ("shape", .array(t.shape.map { .int($0) })), ("offset", .int(t.offset)), ("size", .int(t.byteCount))])
        }
        return .object([
            ("version", .int(Int(file.version))),
            ("alignment", .int(file.alignment)),
            ("data_offset", .int(file.dataOffset)),
            ("metadata", .object(JSONObject(metadata))),
            ("tensors", .array(tensors)),
            ("summary", summaryJSON(ModelSummary(file))),
        ])
    }

    static func typedValue(_ value: GGUFValue, fullArrays: Bool) -> JSONValue {
        guard case .array(let a) = value else {
            return .object([("type", .string(value.type.name)), ("value", value.jsonValue)])
        }
        var members: [(String, JSONValue)] = [("type", .string("array")), ("element_type", .string(a.elementType.name)),
                                         ("count", .int(a.count))]
        if fullArrays || a.count <= arrayElisionLimit { members.append(("value", GGUFValue.array(a).jsonValue)) }
        return .object(JSONObject(members))
    }

    static func summaryJSON(_ s: ModelSummary) -> JSONValue {
        func opt(_ v: Int?) -> JSONValue { v.map { .int($0) } ?? .null }
        func opt(_ v: String?) -> JSONValue { v.map { .string($0) } ?? .null }
        return .object([
            ("architecture", opt(s.architecture)),
            ("name", opt(s.name)),
            ("parameters", .int(s.parameterCount)),
            ("quantization", .string(s.quantization)),
            ("context_length", opt(s.contextLength)),
            ("embedding_length", opt(s.embeddingLength)),
            ("block_count", opt(s.blockCount)),
            ("head_count", opt(s.headCount)),
            ("head_count_kv", opt(s.headCountKV)),
            ("expert_count", opt(s.expertCount)),
            ("expert_used_count", opt(s.expertUsedCount)),
            ("tokenizer_model", opt(s.tokenizerModel)),
            ("vocab_size", opt(s.vocabularySize)),
            ("chat_template", .bool(s.hasChatTemplate)),
            ("file_size", .int(s.fileSize)),
            ("tensor_bytes", .int(s.tensorBytes)),
        ])
    }

    /// Ollama's layout: a two-space heading, rows indented by four, columns 4 spaces apart.
    static func text(_ file: GGUFFile, metadata: Bool, tensors: Bool) -> String {
        let s = ModelSummary(file)
        var rows: [(String, String)] = [
            ("architecture", s.architecture ?? "unknown"),
            ("parameters", ModelSummary.formatParameters(s.parameterCount)),
        ]
        if let v = s.contextLength { rows.append(("context length", "\(v)")) }
        if let v = s.embeddingLength { rows.append(("embedding length", "\(v)")) }
        if let v = s.blockCount { rows.append(("layers", "\(v)")) }
        if let v = s.headCount { rows.append(("attention heads", "\(v)")) }
        if let v = s.headCountKV { rows.append(("kv heads", "\(v)")) }
        if let total = s.expertCount {
            rows.append(("experts", "\(s.expertUsedCount.map(String.init) ?? "?") used of \(total)"))
        }
        rows.append(("quantization", s.quantization))
        if let v = s.tokenizerModel {
            rows.append(("tokenizer", v + (s.vocabularySize.map { " (\($0) tokens)" } ?? "")))
        }
        rows.append(("chat template", s.hasChatTemplate ? "yes" : "no"))
        rows.append(("size", HumanBytes.format(s.fileSize)))
        var out = section("Model", rows)
        if metadata {
            out += section("Metadata", file.metadata.map { ($0.key, abbreviated($0.value)) })
        }
        if tensors {
            out += section("Tensors", file.tensors.map {
                ($0.name, "\($0.type.name)    [\($0.shape.map(String.init).joined(separator: " "))]    \(HumanBytes.format($0.byteCount))")
            })
        }
        return out
    }

    static func section(_ title: String, _ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        var out = "  \(title)\n"
        for (k, v) in rows { out += "    " + k + String(repeating: " ", count: width - k.count + 4) + v + "\n" }
        return out + "\n"
    }

    /// Arrays as `[a b c ...+N more]`, as `ollama show -v` prints them.
    static func abbreviated(_ value: GGUFValue) -> String {
        guard case .array(let a) = value else {
            if case .string(let raw) = value {
                let s = raw.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n")
                return s.count > 80 ? String(s.prefix(77)) + "..." : s
            }
            return value.jsonValue.text()
        }
        let shown = (0..<min(a.count, 3)).map { i -> String in
            if case .string(let s) = a.element(i) { return s }
            return a.element(i).jsonValue.text()
        }
        let more = a.count > 3 ? " ...+\(a.count - 3) more" : ""
        return "[" + shown.joined(separator: " ") + more + "]"
    }
}
