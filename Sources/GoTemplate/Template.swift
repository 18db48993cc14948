/// A Go `text/template` as Ollama builds it: `missingkey=zero`, Go's builtin functions plus
/// Ollama's (`json`, `currentDate`, `yesterdayDate`, `toTypeScriptType`). Parsing happens once at
/// creation, so a template that does not parse is rejected before it is stored.
public struct Template: Sendable {
    public let text: String
    let parsed: ParsedTemplate

    static let functions: [String: TemplateFunction] = Builtins.table.merging(OllamaFunctions.table) { builtin, _ in builtin }

    public init(_ text: String) throws(TemplateError) {
        self.text = text
        parsed = try Parser.parse(text, functions: Set(Self.functions.keys))
    }

    init(text: String, parsed: ParsedTemplate) {
        self.text = text
        self.parsed = parsed
    }

    /// Executes the main template with `data` as dot and `$`.
    public func execute(_ data: TemplateValue) throws(TemplateError) -> String {
        try execute(parsed.root, data)
    }

    /// Executes a tree derived from this template's (the legacy `.Response` cut), keeping its definitions.
    func execute(_ root: [Node], _ data: TemplateValue) throws(TemplateError) -> String {
        try Executor.execute(parsed, source: text, functions: Self.functions, data: data, root: root)
    }
}
