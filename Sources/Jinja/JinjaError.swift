/// Why a template could not be parsed or rendered, with the template line and column it points at.
/// `raised` marks a template's own `raise_exception("…")`: its message is the template author's text,
/// which the server passes on to the client as is.
public struct JinjaError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case syntax
        case runtime
        case raised
    }

    public var kind: Kind
    public var message: String
    /// 1-based; 0 while an error raised inside a filter or function has not yet been placed at its call.
    public var line: Int
    public var column: Int

    public init(_ kind: Kind, _ message: String, line: Int = 0, column: Int = 0) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
    }

    static func runtime(_ message: String) -> JinjaError { JinjaError(.runtime, message) }

    /// The error placed at `location` unless it already points somewhere more precise.
    func located(at location: SourceLocation) -> JinjaError {
        guard line == 0 else { return self }
        var copy = self
        copy.line = location.line
        copy.column = location.column
        return copy
    }

    public var description: String {
        switch kind {
        case .raised: "template raised at line \(line), column \(column): \(message)"
        case .syntax: "template syntax error at line \(line), column \(column): \(message)"
        case .runtime: "template error at line \(line), column \(column): \(message)"
        }
    }
}

/// A 1-based position in the template source, counted in Unicode scalars as Python counts characters.
struct SourceLocation: Sendable, Equatable {
    var line: Int
    var column: Int
}
