import JSON

/// A chat message (spec §1.3), as requests carry it and responses return it.
public struct Message: Sendable, Equatable {
    public var role: String
    public var content: String
    public var thinking: String = ""
    /// Base64 images as sent; only vision models accept them.
    public var images: [String] = []
    public var toolCalls: [ToolCall] = []
    public var toolName: String = ""
    public var toolCallID: String = ""

    public init(role: String, content: String, thinking: String = "") {
        self.role = role
        self.content = content
        self.thinking = thinking
    }

    init(json value: JSONValue) throws(APIError) {
        guard case .object(let o) = value else {
            throw .badRequest("json: cannot unmarshal \(RequestFields.kind(value)) into Go struct field ChatRequest.messages of type api.Message")
        }
        let f = RequestFields(o, structName: "Message")
        role = (try f.string("role") ?? "").lowercased()
        content = try f.string("content") ?? ""
        thinking = try f.string("thinking") ?? ""
        images = try f.strings("images") ?? []
        toolCalls = try (f.array("tool_calls", of: "api.ToolCall") ?? []).map { (v) throws(APIError) in try ToolCall(json: v) }
        toolName = try f.string("tool_name") ?? ""
        toolCallID = try f.string("tool_call_id") ?? ""
    }

    /// The message object; empty optional fields are omitted.
    public var json: JSONValue {
        var o: JSONObject = ["role": .string(role), "content": .string(content)]
        if !thinking.isEmpty { o["thinking"] = .string(thinking) }
        if !images.isEmpty { o["images"] = .array(images.map { .string($0) }) }
        if !toolCalls.isEmpty { o["tool_calls"] = .array(toolCalls.map(\.json)) }
        if !toolName.isEmpty { o["tool_name"] = .string(toolName) }
        if !toolCallID.isEmpty { o["tool_call_id"] = .string(toolCallID) }
        return .object(o)
    }
}

/// A call the model made: `{"id"?, "function": {"index", "name", "arguments": {...}}}`.
public struct ToolCall: Sendable, Equatable {
    public var id: String = ""
    public var index: Int = 0
    public var name: String
    public var arguments: JSONObject

    public init(id: String = "", index: Int = 0, name: String, arguments: JSONObject) {
        self.id = id
        self.index = index
        self.name = name
        self.arguments = arguments
    }

    init(json value: JSONValue) throws(APIError) {
        guard case .object(let o) = value, case .object(let function)? = o["function"] else {
            throw .badRequest("json: cannot unmarshal \(RequestFields.kind(value)) into Go struct field Message.tool_calls of type api.ToolCall")
        }
        let f = RequestFields(function, structName: "ToolCallFunction")
        id = (try RequestFields(o, structName: "ToolCall").string("id")) ?? ""
        index = try f.int("index") ?? 0
        name = try f.string("name") ?? ""
        arguments = try f.object("arguments") ?? [:]
    }

    public var json: JSONValue {
        var o = JSONObject()
        if !id.isEmpty { o["id"] = .string(id) }
        o["function"] = .object(["index": .int(index), "name": .string(name), "arguments": .object(arguments)])
        return .object(o)
    }
}
