@testable import Client
import JSON
import OllamaAPI
import Testing

@Suite("Decoding streamed answers")
struct ResponseDecodingTests {
    private func object(_ text: String) throws -> JSONObject {
        try #require(try JSONParser.parse(Array(text.utf8)).objectValue)
    }

    @Test func finalGenerateChunkCarriesMetrics() throws {
        let chunk = GenerateChunk(json: try object("""
            {"model":"m","response":"","done":true,"done_reason":"stop","total_duration":10,"load_duration":2,\
            "prompt_eval_count":3,"prompt_eval_duration":4,"eval_count":5,"eval_duration":6}
            """))
        #expect(chunk.done && chunk.doneReason == "stop")
        #expect(chunk.metrics.totalDuration == 10 && chunk.metrics.promptEvalCount == 3 && chunk.metrics.evalDuration == 6)
    }

    @Test func chatChunkKeepsThinkingAndToolCalls() throws {
        let chunk = ChatChunk(json: try object("""
            {"message":{"role":"assistant","content":"","thinking":"hm","tool_calls":[{"function":{"index":0,"name":"f","arguments":{"x":1}}}]},"done":false}
            """))
        #expect(chunk.message.thinking == "hm")
        #expect(chunk.message.toolCalls == [ToolCall(name: "f", arguments: ["x": .int(1)])])
        #expect(!chunk.done)
    }

    @Test func keepAliveAndThinkGoOutAsGoWritesThem() {
        #expect(KeepAlive.forever.wireJSON == .int(-1))
        #expect(KeepAlive.duration(nanoseconds: 0).wireJSON == .string("0s"))
        #expect(KeepAlive.duration(nanoseconds: 300_000_000_000).wireJSON == .string("5m0s"))
        #expect(ThinkValue.level("high").wireJSON == .string("high"))
        #expect(ThinkValue.enabled(false).wireJSON == .bool(false))
    }
}
