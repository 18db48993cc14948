import Engine
import Sampling
import Models
import ModelStore
import Logging
import GGUF
import ChatOutput
import JSON
import OllamaAPI

/// What one step of a reply adds: thinking, content, and (at the end) tool calls.
struct ReplyDelta: Sendable {
    var thinking = ""
    var content = ""
    var toolCalls: [ToolCall] = []

    var isEmpty: Bool { thinking.isEmpty && content.isEmpty && toolCalls.isEmpty }

    mutating func append(_ other: ReplyDelta) {
        thinking += other.thinking
        content += other.content
        toolCalls += other.toolCalls
    }
}

/// Routes a model's text pieces into thinking, content and tool calls for one reply. Used by one
/// task at a time (the generation loop), hence unchecked.
final class OutputRouter: @unchecked Sendable {
    private var thinking: ThinkingParser?
    private var tools: ToolCallParser?
    private var callCount = 0

    init(thinking: ThinkingParser?, tools: ToolCallParser?) {
        self.thinking = thinking
        self.tools = tools
    }

    func add(_ piece: String) -> ReplyDelta {
        var delta = ReplyDelta()
        var content = piece
        if thinking != nil {
            let split = thinking!.add(piece)
            delta.thinking = split.thinking
            content = split.content
        }
        delta.content = tools != nil ? tools!.add(content) : content
        return delta
    }

    func finish() -> ReplyDelta {
        var delta = ReplyDelta()
        var content = ""
        if thinking != nil {
            let split = thinking!.finish()
            delta.thinking = split.thinking
            content = split.content
        }
        if tools != nil {
            delta.content = tools!.add(content)
            let (calls, rest) = tools!.finish()
            delta.content += rest
            delta.toolCalls = calls.map { call in
                defer { callCount += 1 }
                return ToolCall(id: Self.callID(), index: callCount, name: call.name, arguments: call.arguments)
            }
        } else {
            delta.content = content
        }
        return delta
    }

    /// `call_` + 8 lowercase alphanumerics, as current Ollama names calls.
    static func callID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var g = SystemRandomNumberGenerator()
        return "call_" + String((0..<8).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] })
    }
}
