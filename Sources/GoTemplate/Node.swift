/// The parse tree, shaped like Go's `text/template/parse` nodes so the tree walks Ollama does over
/// it (tool-call tag, thinking tags, the `.Response` cut) read the same. Positions are byte offsets.
indirect enum Node: Sendable {
    case text(String)
    case action(Pipeline)
    case `if`(Branch)
    case range(Branch)
    case with(Branch)
    /// `{{template "name" pipeline}}` (and the call half of `{{block}}`).
    case template(name: String, pipeline: Pipeline?, position: Int)
    case `break`(position: Int)
    case `continue`(position: Int)
}

struct Branch: Sendable {
    var pipeline: Pipeline
    var list: [Node]
    /// nil when there is no `{{else}}`; `{{else if}}` is an else list holding one `.if`.
    var elseList: [Node]?
}

struct Pipeline: Sendable {
    var position: Int
    /// `$x := …` (false) or `$x = …` (true).
    var isAssign: Bool
    var declarations: [String]
    var commands: [Command]
}

struct Command: Sendable {
    var position: Int
    var arguments: [Operand]
}

indirect enum Operand: Sendable {
    /// `.A.B`: field names after the dot.
    case field([String], position: Int)
    /// `$x.A.B`: the variable name (with `$`) then field names.
    case variable(String, fields: [String], position: Int)
    /// `(pipeline).A.B` or another term followed by fields.
    case chain(Operand, fields: [String], position: Int)
    case function(String, position: Int)
    case dot(position: Int)
    case `nil`(position: Int)
    case bool(Bool, position: Int)
    case number(NumberLiteral, text: String, position: Int)
    case string(String, quoted: String, position: Int)
    case pipeline(Pipeline)

    var position: Int {
        switch self {
        case .field(_, let p), .variable(_, _, let p), .chain(_, _, let p), .function(_, let p), .dot(let p),
             .nil(let p), .bool(_, let p), .number(_, _, let p), .string(_, _, let p):
            p
        case .pipeline(let pipe): pipe.position
        }
    }
}

/// A numeric literal as Go's parser classifies it: an integer when it is one exactly, else a float.
enum NumberLiteral: Sendable, Equatable {
    case int(Int)
    case float(Double)
}

// MARK: - Go's String() forms, used in execution error contexts (`at <.Messages>`)

extension Operand: CustomStringConvertible {
    var description: String {
        switch self {
        case .field(let names, _): names.map { "." + $0 }.joined()
        case .variable(let name, let fields, _): ([name] + fields).joined(separator: ".")
        case .chain(let base, let fields, _):
            (base.isPipeline ? "(\(base))" : base.description) + fields.map { "." + $0 }.joined()
        case .function(let name, _): name
        case .dot: "."
        case .nil: "nil"
        case .bool(let b, _): b ? "true" : "false"
        case .number(_, let text, _): text
        case .string(_, let quoted, _): quoted
        case .pipeline(let pipe): pipe.description
        }
    }

    var isPipeline: Bool {
        if case .pipeline = self { true } else { false }
    }
}

extension Command: CustomStringConvertible {
    var description: String {
        arguments.map { $0.isPipeline ? "(\($0))" : $0.description }.joined(separator: " ")
    }
}

extension Pipeline: CustomStringConvertible {
    var description: String {
        let decl = declarations.isEmpty ? "" : declarations.joined(separator: ", ") + " := "
        return decl + commands.map(\.description).joined(separator: " | ")
    }
}
