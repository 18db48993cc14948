import JSON
/// A parsed Modelfile (§4): what `ollama create` would send to the server, with PARAMETERs
/// already typed as Ollama types them.
public struct Modelfile: Sendable, Equatable {
    /// The FROM argument: a model name, or a path (see `FromArgument`).
    public var from: String
    /// TEMPLATE verbatim; the last one wins.
    public var template: String?
    /// SYSTEM; the last one wins.
    public var system: String?
    /// PARAMETERs as the params layer stores them: `stop` accumulates into an array, other
    /// names take their last value, typed by the option table.
    public var parameters: [String: JSONValue] = [:]
    /// LICENSE texts in order.
    public var licenses: [String] = []
    /// MESSAGEs in order.
    public var messages: [ModelMessage] = []
    /// REQUIRES, normalized without a leading "v" ("0.14.0").
    public var requires: String?
    public var renderer: String?
    public var parser: String?
    /// Warnings for skipped lines, e.g. `parameter mirostat is deprecated`.
    public var warnings: [String] = []

    /// Parses Modelfile bytes, honouring a UTF-8 or UTF-16 byte-order mark.
    public init(parsing bytes: [UInt8]) throws(ModelfileError) {
        try self.init(parsing: Self.decode(bytes))
    }

    /// Parses a Modelfile. Errors carry Ollama's messages and the line of the instruction.
    public init(parsing text: String) throws(ModelfileError) {
        var base: String?
        for instruction in try ModelfileLexer.instructions(in: text) {
            let line = instruction.line
            let argument = instruction.argument
            switch instruction.keyword {
            case .from:
                guard base == nil else {
                    throw ModelfileError(line: line, "only one FROM is supported: Tern has no projector (vision) models")
                }
                base = argument
            case .adapter:
                throw ModelfileError(line: line, "ADAPTER is not supported: Tern cannot apply LoRA adapters")
            case .draft:
                throw ModelfileError(line: line, "DRAFT is not supported: Tern has no speculative decoding")
            case .template: template = argument
            case .system: system = argument
            case .license: licenses.append(argument)
            case .renderer: renderer = argument
            case .parser: parser = argument
            case .requires: requires = try Self.semanticVersion(argument, line: line)
            case .message: messages.append(ModelMessage(role: instruction.name, content: argument))
            case .parameter: try Self.add(instruction.name, argument, line: line, to: &parameters, warnings: &warnings)
            }
        }
        guard let base else { throw ModelfileError(line: nil, "no FROM line") }
        from = base
    }

    private static func add(_ name: String, _ text: String, line: Int, to parameters: inout [String: JSONValue],
                            warnings: inout [String]) throws(ModelfileError) {
        if ParameterTable.deprecated.contains(name) {
            warnings.append("parameter \(name) is deprecated")
            return
        }
        switch ParameterTable.value(of: name, text: text) {
        case .failure(let error): throw ModelfileError(line: line, error.message)
        case .success(.array(let more)):
            parameters[name] = .array((parameters[name]?.arrayValue ?? []) + more)
        case .success(let value): parameters[name] = value
        }
    }

    /// REQUIRES must be a semantic version (golang.org/x/mod/semver, "v" optional).
    private static func semanticVersion(_ text: String, line: Int) throws(ModelfileError) -> String {
        let bare = text.hasPrefix("v") ? String(text.dropFirst()) : text
        guard SemanticVersion.isValid(bare) else {
            throw ModelfileError(line: line, "requires must be a valid semver (e.g. 0.14.0)")
        }
        return bare
    }

    private static func decode(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        let littleEndian = bytes.starts(with: [0xFF, 0xFE])
        if littleEndian || bytes.starts(with: [0xFE, 0xFF]) {
            let units = stride(from: 2, to: bytes.count - 1, by: 2).map {
                littleEndian ? UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 : UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
            }
            return String(decoding: units, as: UTF16.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
