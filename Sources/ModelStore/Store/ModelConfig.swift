import JSON
/// The config blob (`application/vnd.docker.container.image.v1+json`): Ollama's `ConfigV2`,
/// each property the camel-case form of its JSON key (`model_family` → `modelFamily`).
/// `modelType` feeds `details.parameter_size` and `fileType` `details.quantization_level`.
public struct ModelConfig: Hashable, Sendable {
    public var modelFormat = ""
    public var modelFamily = ""
    public var modelFamilies: [String] = []
    /// The parameter count as Ollama prints it ("134.52M", "8B").
    public var modelType = ""
    /// The quantization name ("Q4_K_M").
    public var fileType = ""
    public var renderer = ""
    public var parser = ""
    public var requires = ""
    public var remoteHost = ""
    public var remoteModel = ""
    public var capabilities: [String] = []
    public var contextLength = 0
    public var embeddingLength = 0
    public var baseName = ""
    /// Filler demanded by the Docker spec ("amd64"), not the model's architecture.
    public var architecture = "amd64"
    /// Filler demanded by the Docker spec ("linux").
    public var os = "linux"

    /// An empty config with the Docker filler values.
    public init() {}

    /// Reads a config blob; absent keys keep their empty defaults, unknown ones are ignored.
    public init(json bytes: [UInt8]) throws(JSONError) {
        guard let o = try JSONParser.parse(bytes).objectValue else { throw JSONError(offset: 0, message: "config is not an object") }
        func text(_ key: String) -> String { o[key]?.stringValue ?? "" }
        func texts(_ key: String) -> [String] { o[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        modelFormat = text("model_format")
        modelFamily = text("model_family")
        modelFamilies = texts("model_families")
        modelType = text("model_type")
        fileType = text("file_type")
        renderer = text("renderer")
        parser = text("parser")
        requires = text("requires")
        remoteHost = text("remote_host")
        remoteModel = text("remote_model")
        capabilities = texts("capabilities")
        contextLength = o["context_length"]?.intValue ?? 0
        embeddingLength = o["embedding_length"]?.intValue ?? 0
        baseName = text("base_name")
        architecture = text("architecture")
        os = text("os")
    }

    /// The bytes Go's encoder writes for `ConfigV2`: field order, `omitempty` on the optional
    /// fields, trailing newline.
    public func jsonBytes() -> [UInt8] {
        func optional(_ s: String) -> GoJSON? { s.isEmpty ? nil : .value(.string(s)) }
        func optional(_ i: Int) -> GoJSON? { i == 0 ? nil : .value(.int(i)) }
        return GoJSONEncoder.encode(.structure([
            ("model_format", .value(.string(modelFormat))),
            ("model_family", .value(.string(modelFamily))),
            ("model_families", .value(.array(modelFamilies.map(JSONValue.string)))),
            ("model_type", .value(.string(modelType))),
            ("file_type", .value(.string(fileType))),
            ("renderer", optional(renderer)),
            ("parser", optional(parser)),
            ("requires", optional(requires)),
            ("remote_host", optional(remoteHost)),
            ("remote_model", optional(remoteModel)),
            ("capabilities", capabilities.isEmpty ? nil : .value(.array(capabilities.map(JSONValue.string)))),
            ("context_length", optional(contextLength)),
            ("embedding_length", optional(embeddingLength)),
            ("base_name", optional(baseName)),
            ("architecture", .value(.string(architecture))),
            ("os", .value(.string(os))),
        ]))
    }
}
