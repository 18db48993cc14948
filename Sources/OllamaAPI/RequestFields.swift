import JSON

/// Reads the typed fields of a request object, failing as Go's decoder does when a value has the
/// wrong JSON type (`json: cannot unmarshal string into Go struct field ChatRequest.stream of type bool`).
/// Unknown keys are ignored, as Go ignores them.
public struct RequestFields {
    public let object: JSONObject
    /// The Go struct name used in error messages.
    let structName: String

    public init(_ object: JSONObject, structName: String) {
        self.object = object
        self.structName = structName
    }

    /// Parses a request body: empty → `missing request body`, malformed → 400 with the parser's message.
    public static func parse(_ body: [UInt8], structName: String) throws(APIError) -> RequestFields {
        guard body.contains(where: { !(0x09...0x0D).contains($0) && $0 != 0x20 }) else { throw .missingBody }
        let value: JSONValue
        do throws(JSONError) { value = try JSONParser.parse(body) } catch { throw .badRequest(error.description) }
        guard let object = value.objectValue else {
            throw .badRequest("json: cannot unmarshal \(Self.kind(value)) into Go value of type api.\(structName)")
        }
        return RequestFields(object, structName: structName)
    }

    func mismatch(_ key: String, _ value: JSONValue, _ goType: String) -> APIError {
        .badRequest("json: cannot unmarshal \(Self.kind(value)) into Go struct field \(structName).\(key) of type \(goType)")
    }

    /// The JSON type name Go's decoder reports.
    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .int, .float32, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The value of `key`, nil when absent or null (null leaves a Go field at its zero value).
    public func value(_ key: String) -> JSONValue? {
        guard let v = object[key], v != .null else { return nil }
        return v
    }

    public func string(_ key: String) throws(APIError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw mismatch(key, v, "string") }
        return s
    }

    public func bool(_ key: String) throws(APIError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else { throw mismatch(key, v, "bool") }
        return b
    }

    public func int(_ key: String) throws(APIError) -> Int? {
        guard let v = value(key) else { return nil }
        guard let i = v.intValue else { throw mismatch(key, v, "int") }
        return i
    }

    public func object(_ key: String) throws(APIError) -> JSONObject? {
        guard let v = value(key) else { return nil }
        guard case .object(let o) = v else { throw mismatch(key, v, "map[string]interface {}") }
        return o
    }

    public func array(_ key: String, of goType: String) throws(APIError) -> [JSONValue]? {
        guard let v = value(key) else { return nil }
        guard case .array(let a) = v else { throw mismatch(key, v, "[]" + goType) }
        return a
    }

    public func strings(_ key: String) throws(APIError) -> [String]? {
        guard let items = try array(key, of: "string") else { return nil }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else { throw mismatch(key, item, "string") }
            out.append(s)
        }
        return out
    }

    public func ints(_ key: String) throws(APIError) -> [Int]? {
        guard let items = try array(key, of: "int") else { return nil }
        var out: [Int] = []
        for item in items {
            guard let i = item.intValue else { throw mismatch(key, item, "int") }
            out.append(i)
        }
        return out
    }

    /// `model`, or the legacy `name` when `model` is absent.
    public func modelName() throws(APIError) -> String {
        if let m = try string("model") { return m }
        return try string("name") ?? ""
    }
}
