/// A template that does not parse, or that fails while executing. The description has the shape
/// Go's `text/template` gives its errors, so a client sees the same message from Tern as from Ollama:
/// `template: :3: unexpected "}" in operand` (parse errors carry the line only, as Go's do) and
/// `template: :1:10: executing "" at <.Foo>: can't evaluate field Foo in type string`
/// (execution errors carry line and 0-based byte column of the failing node).
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Phase: Sendable, Equatable {
        case parse
        /// `context` is the failing node as Go prints it (cut at 20 characters), `template` the
        /// name of the template being executed ("" for the main one).
        case execute(template: String, context: String, column: Int)
        /// Ollama's own checks on a parsed tree; its messages carry no location.
        case analysis
    }

    public var phase: Phase
    /// 1-based line of the token or node at fault.
    public var line: Int
    public var message: String

    public init(phase: Phase, line: Int, message: String) {
        self.phase = phase
        self.line = line
        self.message = message
    }

    public var description: String {
        switch phase {
        case .parse:
            "template: :\(line): \(message)"
        case .execute(let template, let context, let column):
            "template: :\(line):\(column): executing \"\(template)\" at <\(context)>: \(message)"
        case .analysis:
            message
        }
    }
}
