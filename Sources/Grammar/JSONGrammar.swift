import JSON

/// A recognizer for JSON text, generic (`format: "json"`) or compiled from a JSON Schema, read byte
/// by byte so a sampler can refuse any token that would make the output invalid.
///
/// Generic mode accepts one JSON **object** at the top, as Ollama's `format: "json"` grammar and
/// llama.cpp's grammars/json.gbnf do (and as llama-server's `json_object` response format does).
/// Whitespace between tokens is bounded as llama.cpp's json-schema-to-grammar bounds it; nothing may
/// follow the top value. Nesting is limited to `FrameStack.capacity` open values.
public struct JSONGrammar: Sendable, Equatable {
    /// The schema this grammar enforces; nil for any JSON object.
    public let schema: JSONValue?
    private let compiled: CompiledGrammar

    /// - Parameter schema: a JSON Schema (object or boolean), or nil for any JSON object.
    /// - Throws: `GrammarError` naming the keyword or reference it cannot enforce, and where.
    public init(schema: JSONValue?) throws(GrammarError) {
        self.schema = schema
        var compiler = SchemaCompiler(document: schema ?? .bool(true))
        let root = if let schema { try compiler.compile(schema, path: "#") } else { compiler.anyObject() }
        compiled = try CompiledGrammar(nodes: compiler.nodes, paths: compiler.paths, root: root)
    }

    /// The state before the first byte.
    public func start() -> GrammarState {
        GrammarState(grammar: compiled)
    }

    public static func == (a: JSONGrammar, b: JSONGrammar) -> Bool { a.schema == b.schema }
}
