/// Splits a model's streamed output into thinking and content (spec §7.3): an opening tag at the
/// start (after whitespace) begins thinking, the closing tag ends it, and whitespace around both
/// is dropped. Text that might be the start of a tag is held back until it is decided, so a tag
/// split across tokens is still recognised.
public struct ThinkingParser: Sendable {
    private enum Phase { case lookingForOpening, afterOpening, thinking, afterClosing, content }

    public let openingTag: String
    public let closingTag: String
    private var phase = Phase.lookingForOpening
    private var buffer = ""

    /// `prefilled`: the prompt already ends with the opening tag (DeepSeek-R1's `<think>\n`), so
    /// the model's first tokens are thinking.
    public init(openingTag: String, closingTag: String, prefilled: Bool = false) {
        self.openingTag = openingTag
        self.closingTag = closingTag
        if prefilled { phase = .afterOpening }
    }

    /// Feeds a piece of output; returns what is now known to be thinking and content.
    public mutating func add(_ text: String) -> (thinking: String, content: String) {
        buffer += text
        var thinking = "", content = ""
        while true {
            switch phase {
            case .lookingForOpening:
                let trimmed = buffer.drop(while: \.isWhitespace)
                if trimmed.isEmpty || (openingTag.hasPrefix(trimmed) && trimmed.count < openingTag.count) {
                    return (thinking, content)  // still undecided
                }
                if trimmed.hasPrefix(openingTag) {
                    buffer = String(trimmed.dropFirst(openingTag.count))
                    phase = .afterOpening
                } else {
                    phase = .content  // not thinking: everything, untrimmed, is content
                }
            case .afterOpening:
                buffer = String(buffer.drop(while: \.isWhitespace))
                guard !buffer.isEmpty else { return (thinking, content) }
                phase = .thinking
            case .thinking:
                if let range = buffer.firstRange(of: closingTag) {
                    thinking += buffer[..<range.lowerBound]
                    buffer = String(buffer[range.upperBound...])
                    phase = .afterClosing
                } else {
                    let held = Self.partialSuffix(of: buffer, prefixOf: closingTag)
                    thinking += buffer.dropLast(held)
                    buffer = String(buffer.suffix(held))
                    return (thinking, content)
                }
            case .afterClosing:
                buffer = String(buffer.drop(while: \.isWhitespace))
                guard !buffer.isEmpty else { return (thinking, content) }
                phase = .content
            case .content:
                content += buffer
                buffer = ""
                return (thinking, content)
            }
        }
    }

    /// The end of the output: held-back text goes where it was heading.
    public mutating func finish() -> (thinking: String, content: String) {
        defer { buffer = "" }
        switch phase {
        case .thinking: return (buffer, "")
        case .lookingForOpening, .content: return ("", buffer)
        case .afterOpening, .afterClosing: return ("", "")
        }
    }

    /// Whether thinking is still open (content has not started).
    public var isThinking: Bool { phase == .afterOpening || phase == .thinking }

    /// The length of the longest proper suffix of `text` that is a prefix of `tag`.
    static func partialSuffix(of text: String, prefixOf tag: String) -> Int {
        let t = Array(text), g = Array(tag)
        var n = min(t.count, g.count - 1)
        while n > 0 {
            if Array(t[(t.count - n)...]) == Array(g[..<n]) { return n }
            n -= 1
        }
        return 0
    }
}
