import ChatOutput
import JSON
import Testing

@Suite("Tool calls")
struct ToolCallParserTests {
    static func run(_ pieces: [String], tag: String, names: Set<String> = ["get_weather", "add"]) -> (String, [ToolCallParser.Call]) {
        var p = ToolCallParser(tag: tag, toolNames: names)
        var content = pieces.map { p.add($0) }.joined()
        let (calls, rest) = p.finish()
        content += rest
        return (content, calls)
    }

    @Test func qwenStyleCallsSplitAcrossPieces() {
        let text = "Let me check.<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"unit\": \"c\"}}\n</tool_call>"
        for cut in 0...text.count {
            let chars = Array(text)
            let (content, calls) = Self.run([String(chars[..<cut]), String(chars[cut...])], tag: "<tool_call>")
            #expect(content == "Let me check.")
            #expect(calls == [.init(name: "get_weather", arguments: ["city": .string("Paris"), "unit": .string("c")])])
            #expect(calls.first?.arguments.keys == ["city", "unit"])
        }
    }

    @Test func severalCallsParametersAndStringArguments() {
        let (content, calls) = Self.run(["[TOOL_CALLS] [{\"name\":\"add\",\"parameters\":{\"a\":1}},", "{\"name\":\"add\",\"arguments\":\"{\\\"b\\\":2}\"}]"],
                                        tag: "[TOOL_CALLS]")
        #expect(content == "")
        #expect(calls.map(\.arguments) == [["a": .int(1)], ["b": .int(2)]])
    }

    @Test func aBareJSONAnswerIsACallToo() {
        let (content, calls) = Self.run(["  {\"name\": \"get_weather\",", " \"arguments\": {\"city\": \"Paris\"}}"], tag: "<tool_call>")
        #expect(content == "" && calls.map(\.name) == ["get_weather"])
        #expect(Self.run(["The JSON is {\"name\": \"add\"}"], tag: "<tool_call>") == ("The JSON is {\"name\": \"add\"}", []))
    }

    @Test func unknownToolsAndBrokenJSONStayContent() {
        #expect(Self.run(["<tool_call>{\"name\":\"nope\",\"arguments\":{}}"], tag: "<tool_call>") == ("<tool_call>{\"name\":\"nope\",\"arguments\":{}}", []))
        #expect(Self.run(["<tool_call>{\"name\":\"add\""], tag: "<tool_call>").0 == "<tool_call>{\"name\":\"add\"")
        #expect(Self.run(["plain ", "answer"], tag: "{") == ("plain answer", []))
    }
}

@Suite("DeepSeek tool calls")
struct DeepSeekToolCallTests {
    @Test func r1AndV31Forms() {
        let r1 = "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{\"city\": \"Paris\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>"
        let v31 = "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>add<｜tool▁sep｜>{\"a\": 1}<｜tool▁call▁end｜><｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>{\"city\": \"Rome\"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>"
        for text in [r1, v31] {
            let chars = Array(text)
            for cut in stride(from: 0, through: chars.count, by: 7) {
                var p = ToolCallParser(tag: "<｜tool▁calls▁begin｜>", toolNames: ["get_weather", "add"])
                let shown = p.add("Checking. ") + p.add(String(chars[..<cut])) + p.add(String(chars[cut...]))
                let (calls, rest) = p.finish()
                #expect(shown + rest == "Checking. ")
                #expect(calls.map(\.name) == (text == r1 ? ["get_weather"] : ["add", "get_weather"]))
            }
        }
    }
}
