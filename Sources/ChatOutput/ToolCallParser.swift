import JSON

/// Finds tool calls in a model's content (spec §1.9): once the template's tool-call tag appears
/// (`<tool_call>` for Qwen/Hermes, `[TOOL_CALLS]` for Mistral, `{` when the template gives none),
/// the rest of the output is buffered and read as JSON objects `{"name": …, "arguments"|"parameters": {…}}`
/// naming declared tools. Text before the tag streams as content; if the buffered text does not
/// parse as calls, it is returned as content at the end.
public struct ToolCallParser: Sendable {
    public struct Call: Sendable, Equatable {
        public var name: String
        public var arguments: JSONObject

        public init(name: String, arguments: JSONObject) {
            self.name = name
            self.arguments = arguments
        }
    }

    public let tag: String
    public let toolNames: Set<String>
    private var pending = ""
    private var capturing = false
    private var emittedContent = false

    public init(tag: String, toolNames: Set<String>) {
        self.tag = tag.isEmpty ? "{" : tag
        self.toolNames = toolNames
    }

    /// Content that can be shown now (before any tag).
    public mutating func add(_ text: String) -> String {
        pending += text
        if capturing { return "" }
        let start = pending.drop(while: \.isWhitespace)
        if !emittedContent, start.isEmpty { return "" }
        if !emittedContent, start.hasPrefix("{") {
            capturing = true
            return ""
        }
        if let range = pending.firstRange(of: tag) {
            let before = String(pending[..<range.lowerBound])
            pending = String(pending[range.lowerBound...])
            capturing = true
            return before
        }
        let held = ThinkingParser.partialSuffix(of: pending, prefixOf: tag)
        let out = String(pending.dropLast(held))
        pending = String(pending.suffix(held))
        if !out.isEmpty { emittedContent = true }
        return out
    }

    /// At the end: the calls found, and content that was held back (all of it when no call parsed).
    public mutating func finish() -> (calls: [Call], content: String) {
        defer { pending = ""; capturing = false }
        guard capturing else { return ([], pending) }
        let calls = Self.calls(in: pending, tag: tag, names: toolNames)
        return calls.isEmpty ? ([], pending) : (calls, "")
    }

    /// Every JSON object in `text` (after each tag) that is a call of a declared tool, in order.
    static func calls(in text: String, tag: String, names: Set<String>) -> [Call] {
        if text.contains(DeepSeekCalls.callBegin) { return DeepSeekCalls.parse(text, names: names) }
        var calls: [Call] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "["), let end = Self.valueEnd(bytes, from: i),
                  let value = try? JSONParser.parse(Array(bytes[i..<end]))
            else { i += 1; continue }
            for item in value.arrayValue ?? [value] {
                guard let o = item.objectValue, let name = o["name"]?.stringValue, names.contains(name) else { continue }
                let arguments = o["arguments"] ?? o["parameters"]
                // Some models send arguments as a JSON string.
                if case .string(let s)? = arguments, let parsed = (try? JSONParser.parse(Array(s.utf8)))?.objectValue {
                    calls.append(Call(name: name, arguments: parsed))
                } else {
                    calls.append(Call(name: name, arguments: arguments?.objectValue ?? [:]))
                }
            }
            i = end
        }
        return calls
    }

    /// Where the JSON object or array starting at `start` ends (one past its closing bracket),
    /// skipping brackets inside strings; nil when it never closes.
    static func valueEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var depth = 0, inString = false, escaped = false
        for i in start..<bytes.count {
            let b = bytes[i]
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return i + 1 }
            default: break
            }
        }
        return nil
    }
}
