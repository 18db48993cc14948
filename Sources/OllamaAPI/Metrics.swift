import JSON

/// The timing statistics of a final chunk (spec §1.3); every field is omitted when zero.
public struct Metrics: Sendable, Equatable {
    public var totalDuration: UInt64 = 0
    public var loadDuration: UInt64 = 0
    public var promptEvalCount = 0
    public var promptEvalDuration: UInt64 = 0
    public var evalCount = 0
    public var evalDuration: UInt64 = 0

    public init() {}

    public func add(to o: inout JSONObject) {
        func put(_ key: String, _ v: Int) { if v != 0 { o[key] = .int(v) } }
        put("total_duration", Int(totalDuration))
        put("load_duration", Int(loadDuration))
        put("prompt_eval_count", promptEvalCount)
        put("prompt_eval_duration", Int(promptEvalDuration))
        put("eval_count", evalCount)
        put("eval_duration", Int(evalDuration))
    }

    public init(json o: JSONObject) {
        func get(_ key: String) -> Int { o[key]?.intValue ?? 0 }
        totalDuration = UInt64(max(0, get("total_duration")))
        loadDuration = UInt64(max(0, get("load_duration")))
        promptEvalCount = get("prompt_eval_count")
        promptEvalDuration = UInt64(max(0, get("prompt_eval_duration")))
        evalCount = get("eval_count")
        evalDuration = UInt64(max(0, get("eval_duration")))
    }
}

/// `details` of a model (spec §1.3 ModelDetails).
public struct ModelDetails: Sendable, Equatable {
    public var parentModel = ""
    public var format = "gguf"
    public var family = ""
    public var families: [String] = []
    public var parameterSize = ""
    public var quantizationLevel = ""

    public init() {}

    public var json: JSONValue {
        .object([
            "parent_model": .string(parentModel), "format": .string(format), "family": .string(family),
            "families": families.isEmpty ? .null : .array(families.map { .string($0) }),
            "parameter_size": .string(parameterSize), "quantization_level": .string(quantizationLevel),
        ])
    }

    public init(json value: JSONValue?) {
        let o = value?.objectValue ?? [:]
        parentModel = o["parent_model"]?.stringValue ?? ""
        format = o["format"]?.stringValue ?? ""
        family = o["family"]?.stringValue ?? ""
        families = o["families"]?.arrayValue?.compactMap(\.stringValue) ?? []
        parameterSize = o["parameter_size"]?.stringValue ?? ""
        quantizationLevel = o["quantization_level"]?.stringValue ?? ""
    }
}

/// One entry of `/api/tags`.
public struct ListedModel: Sendable, Equatable {
    public var name: String
    public var modifiedAt: String
    public var size: Int
    /// Hex SHA-256 of the manifest file, no prefix.
    public var digest: String
    public var details: ModelDetails
    public var capabilities: [String] = []

    public init(name: String, modifiedAt: String, size: Int, digest: String, details: ModelDetails, capabilities: [String]) {
        self.name = name
        self.modifiedAt = modifiedAt
        self.size = size
        self.digest = digest
        self.details = details
        self.capabilities = capabilities
    }

    public var json: JSONValue {
        var o: JSONObject = [
            "name": .string(name), "model": .string(name), "modified_at": .string(modifiedAt), "size": .int(size),
            "digest": .string(digest), "details": details.json,
        ]
        if !capabilities.isEmpty { o["capabilities"] = .array(capabilities.map { .string($0) }) }
        return .object(o)
    }

    public init(json value: JSONValue) {
        let o = value.objectValue ?? [:]
        name = o["name"]?.stringValue ?? o["model"]?.stringValue ?? ""
        modifiedAt = o["modified_at"]?.stringValue ?? ""
        size = o["size"]?.intValue ?? 0
        digest = o["digest"]?.stringValue ?? ""
        details = ModelDetails(json: o["details"])
        capabilities = o["capabilities"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}

/// One entry of `/api/ps`.
public struct RunningModel: Sendable, Equatable {
    public var name: String
    public var size: Int
    public var digest: String
    public var details: ModelDetails
    public var expiresAt: String
    public var sizeVRAM: Int
    public var contextLength: Int

    public init(name: String, size: Int, digest: String, details: ModelDetails, expiresAt: String, sizeVRAM: Int, contextLength: Int) {
        self.name = name
        self.size = size
        self.digest = digest
        self.details = details
        self.expiresAt = expiresAt
        self.sizeVRAM = sizeVRAM
        self.contextLength = contextLength
    }

    public var json: JSONValue {
        .object([
            "name": .string(name), "model": .string(name), "size": .int(size), "digest": .string(digest),
            "details": details.json, "expires_at": .string(expiresAt), "size_vram": .int(sizeVRAM),
            "context_length": .int(contextLength),
        ])
    }

    public init(json value: JSONValue) {
        let o = value.objectValue ?? [:]
        name = o["name"]?.stringValue ?? o["model"]?.stringValue ?? ""
        size = o["size"]?.intValue ?? 0
        digest = o["digest"]?.stringValue ?? ""
        details = ModelDetails(json: o["details"])
        expiresAt = o["expires_at"]?.stringValue ?? ""
        sizeVRAM = o["size_vram"]?.intValue ?? 0
        contextLength = o["context_length"]?.intValue ?? 0
    }
}
