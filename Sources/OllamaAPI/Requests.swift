import JSON

/// `POST /api/generate` (spec §1.4.1).
public struct GenerateRequest: Sendable {
    public var model: String
    public var prompt: String
    public var suffix: String
    public var system: String?
    public var template: String?
    public var context: [Int]?
    public var stream: Bool
    public var raw: Bool
    /// `"json"` or a JSON schema.
    public var format: JSONValue?
    public var keepAlive: KeepAlive?
    public var images: [String]
    public var options: JSONObject
    public var think: ThinkValue?
    public var truncate: Bool
    public var debugRenderOnly: Bool

    public init(body: [UInt8]) throws(APIError) {
        let f = try RequestFields.parse(body, structName: "GenerateRequest")
        model = try f.modelName()
        prompt = try f.string("prompt") ?? ""
        suffix = try f.string("suffix") ?? ""
        system = try f.string("system")
        template = try f.string("template")
        context = try f.ints("context")
        stream = try f.bool("stream") ?? true
        raw = try f.bool("raw") ?? false
        format = try Self.format(f)
        keepAlive = try f.value("keep_alive").map { (v) throws(APIError) in try KeepAlive(json: v) }
        images = try f.strings("images") ?? []
        options = try f.object("options") ?? [:]
        think = try f.value("think").map { (v) throws(APIError) in try ThinkValue(json: v) }
        truncate = try f.bool("truncate") ?? true
        debugRenderOnly = try f.bool("_debug_render_only") ?? false
        try Self.checkTopLogprobs(f)
    }

    static func checkTopLogprobs(_ f: RequestFields) throws(APIError) {
        if let n = try f.int("top_logprobs"), !(0...20).contains(n) { throw .badRequest("top_logprobs must be between 0 and 20") }
    }

    /// `format`: empty string and null mean none; otherwise "json" or an object (a schema).
    static func format(_ f: RequestFields) throws(APIError) -> JSONValue? {
        guard let v = f.value("format") else { return nil }
        switch v {
        case .string(""): return nil
        case .string("json"), .object: return v
        case .string(let s): throw .badRequest("invalid format: \"\(s)\"; expected \"json\" or a JSON schema")
        default: throw .badRequest("invalid format: expected \"json\" or a JSON schema")
        }
    }
}

/// `POST /api/chat` (spec §1.4.2).
public struct ChatRequest: Sendable {
    public var model: String
    public var messages: [Message]
    /// Tool definitions as the client sent them (key order kept for the template).
    public var tools: [JSONValue]
    public var format: JSONValue?
    public var options: JSONObject
    public var stream: Bool
    public var keepAlive: KeepAlive?
    public var think: ThinkValue?
    public var truncate: Bool
    public var debugRenderOnly: Bool

    public init(body: [UInt8]) throws(APIError) {
        let f = try RequestFields.parse(body, structName: "ChatRequest")
        model = try f.modelName()
        messages = try (f.array("messages", of: "api.Message") ?? []).map { (v) throws(APIError) in try Message(json: v) }
        tools = try f.array("tools", of: "api.Tool") ?? []
        format = try GenerateRequest.format(f)
        options = try f.object("options") ?? [:]
        stream = try f.bool("stream") ?? true
        keepAlive = try f.value("keep_alive").map { (v) throws(APIError) in try KeepAlive(json: v) }
        think = try f.value("think").map { (v) throws(APIError) in try ThinkValue(json: v) }
        truncate = try f.bool("truncate") ?? true
        debugRenderOnly = try f.bool("_debug_render_only") ?? false
        try GenerateRequest.checkTopLogprobs(f)
    }
}

/// `POST /api/embed` (spec §1.4.3).
public struct EmbedRequest: Sendable {
    public var model: String
    public var inputs: [String]
    public var truncate: Bool
    public var dimensions: Int?
    public var keepAlive: KeepAlive?
    public var options: JSONObject

    public init(body: [UInt8]) throws(APIError) {
        let f = try RequestFields.parse(body, structName: "EmbedRequest")
        model = try f.modelName()
        switch f.value("input") {
        case nil: inputs = []
        case .string(let s)?: inputs = [s]
        case .array(let items)?:
            inputs = []
            for item in items {
                guard case .string(let s) = item else { throw .badRequest("invalid input type") }
                inputs.append(s)
            }
        default: throw .badRequest("invalid input type")
        }
        truncate = try f.bool("truncate") ?? true
        dimensions = try f.int("dimensions")
        keepAlive = try f.value("keep_alive").map { (v) throws(APIError) in try KeepAlive(json: v) }
        options = try f.object("options") ?? [:]
    }
}

/// `POST /api/embeddings`, the legacy single-vector form (spec §1.4.4).
public struct EmbeddingsRequest: Sendable {
    public var model: String
    public var prompt: String
    public var keepAlive: KeepAlive?
    public var options: JSONObject

    public init(body: [UInt8]) throws(APIError) {
        let f = try RequestFields.parse(body, structName: "EmbeddingRequest")
        model = try f.modelName()
        prompt = try f.string("prompt") ?? ""
        keepAlive = try f.value("keep_alive").map { (v) throws(APIError) in try KeepAlive(json: v) }
        options = try f.object("options") ?? [:]
    }
}

/// `POST /api/show` (spec §1.4.6).
public struct ShowRequest: Sendable {
    public var model: String
    public var verbose: Bool
    public var system: String?
    public var options: JSONObject

    public init(body: [UInt8]) throws(APIError) {
        let f = try RequestFields.parse(body, structName: "ShowRequest")
        model = try f.modelName()
        verbose = try f.bool("verbose") ?? false
        system = try f.string("system")
        options = try f.object("options") ?? [:]
    }
}

/// `POST /api/copy` (spec §1.4.12).
public struct CopyRequest: Sendable {
    public var source: String
    public var destination: String

    public init(body: [UInt8]) throws(APIError) {
        let f = try RequestFields.parse(body, structName: "CopyRequest")
        source = try f.string("source") ?? ""
        destination = try f.string("destination") ?? ""
    }
}

/// `DELETE /api/delete` (spec §1.4.13).
public struct DeleteRequest: Sendable {
    public var model: String

    public init(body: [UInt8]) throws(APIError) {
        model = try RequestFields.parse(body, structName: "DeleteRequest").modelName()
    }
}

/// `POST /api/create` (spec §1.4.8), current and legacy (`modelfile`) shapes.
public struct CreateRequest: Sendable {
    public var model: String
    public var from: String?
    /// File name → `sha256:<hex>` of blobs uploaded before.
    public var files: [(name: String, digest: String)]
    public var adapters: [(name: String, digest: String)]
    public var template: String?
    public var system: String?
    public var licenses: [String]?
    public var parameters: JSONObject?
    public var messages: [Message]?
    public var quantize: String?
    public var stream: Bool
    /// The legacy request's whole Modelfile text.
    public var modelfile: String?

    public init(body: [UInt8]) throws(APIError) {
        let f = try RequestFields.parse(body, structName: "CreateRequest")
        model = try f.modelName()
        from = try f.string("from")
        files = try Self.fileMap(f, "files")
        adapters = try Self.fileMap(f, "adapters")
        template = try f.string("template")
        system = try f.string("system")
        switch f.value("license") {
        case nil: licenses = nil
        case .string(let s)?: licenses = [s]
        case .array?: licenses = try f.strings("license")
        case let v?: throw f.mismatch("license", v, "interface {}")
        }
        parameters = try f.object("parameters")
        messages = try f.array("messages", of: "api.Message").map { (items) throws(APIError) in
            try items.map { (v) throws(APIError) in try Message(json: v) }
        }
        let legacyQuantize = try f.string("quantization")
        quantize = try f.string("quantize") ?? legacyQuantize
        stream = try f.bool("stream") ?? true
        modelfile = try f.string("modelfile")
    }

    private static func fileMap(_ f: RequestFields, _ key: String) throws(APIError) -> [(name: String, digest: String)] {
        guard let o = try f.object(key) else { return [] }
        var out: [(name: String, digest: String)] = []
        for (name, value) in o {
            guard case .string(let digest) = value else { throw f.mismatch(key, value, "string") }
            out.append((name, digest))
        }
        return out
    }
}
