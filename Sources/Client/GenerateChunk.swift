import JSON
import OllamaAPI

/// One line of a streamed `/api/generate` answer (spec §1.4.1).
public struct GenerateChunk: Sendable, Equatable {
    /// The text delta; empty on the final chunk.
    public var response: String
    public var thinking: String
    public var toolCalls: [ToolCall]
    public var done: Bool
    public var doneReason: String
    /// Timings, present on the final chunk.
    public var metrics: Metrics

    public init(json o: JSONObject) {
        response = o["response"]?.stringValue ?? ""
        thinking = o["thinking"]?.stringValue ?? ""
        toolCalls = ToolCall.list(from: o["tool_calls"])
        done = o["done"]?.boolValue ?? false
        doneReason = o["done_reason"]?.stringValue ?? ""
        metrics = Metrics(json: o)
    }
}

/// One line of a streamed `/api/chat` answer (spec §1.4.2).
public struct ChatChunk: Sendable, Equatable {
    /// The assistant's delta: content, thinking and tool calls.
    public var message: Message
    public var done: Bool
    public var doneReason: String
    public var metrics: Metrics

    public init(json o: JSONObject) {
        let m = o["message"]?.objectValue ?? [:]
        message = Message(role: m["role"]?.stringValue ?? "assistant", content: m["content"]?.stringValue ?? "",
                          thinking: m["thinking"]?.stringValue ?? "")
        message.toolCalls = ToolCall.list(from: m["tool_calls"])
        done = o["done"]?.boolValue ?? false
        doneReason = o["done_reason"]?.stringValue ?? ""
        metrics = Metrics(json: o)
    }
}

/// One status line of `/api/create` (and pull/push): a step, or byte progress on a digest.
public struct ProgressUpdate: Sendable, Equatable {
    public var status: String
    public var digest: String
    public var total: Int
    public var completed: Int

    public init(json o: JSONObject) {
        status = o["status"]?.stringValue ?? ""
        digest = o["digest"]?.stringValue ?? ""
        total = o["total"]?.intValue ?? 0
        completed = o["completed"]?.intValue ?? 0
    }
}

extension ToolCall {
    /// `tool_calls` as responses carry them; entries without a function are skipped.
    static func list(from value: JSONValue?) -> [ToolCall] {
        (value?.arrayValue ?? []).compactMap { item in
            guard let function = item.objectValue?["function"]?.objectValue else { return nil }
            return ToolCall(id: item.objectValue?["id"]?.stringValue ?? "", index: function["index"]?.intValue ?? 0,
                            name: function["name"]?.stringValue ?? "", arguments: function["arguments"]?.objectValue ?? [:])
        }
    }
}
