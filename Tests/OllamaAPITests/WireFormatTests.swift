import JSON
import OllamaAPI
import Testing

@Suite("Ollama wire format")
struct WireFormatTests {
    @Test(arguments: [("5m", 300e9), ("1h30m", 5400e9), ("1.5h", 5400e9), ("300ms", 300e6), ("-1m", -60e9), ("0", 0.0),
                      ("2h45m30.5s", 9930.5e9), ("10us", 10e3), ("7ns", 7.0)])
    func goDurationsParse(text: String, nanoseconds: Double) {
        #expect(GoDuration.parse(text) == nanoseconds)
    }

    @Test(arguments: ["", "5", "m", "1x", "1.2.3s", "--1m", "1m-"])
    func badGoDurationsAreRefused(_ text: String) {
        #expect(GoDuration.parse(text) == nil)
    }

    @Test func goDurationsPrintAsGo() {
        #expect(GoDuration.format(nanoseconds: 1_234_567_891) == "1.234567891s")
        #expect(GoDuration.format(nanoseconds: 85_331_000) == "85.331ms")
        #expect(GoDuration.format(nanoseconds: 123_100_000_000) == "2m3.1s")
        #expect(GoDuration.format(nanoseconds: 300_000_000_000) == "5m0s")
        #expect(GoDuration.format(nanoseconds: 0) == "0s")
    }

    @Test func keepAliveForms() throws {
        #expect(try KeepAlive(json: .int(30)) == .duration(nanoseconds: 30_000_000_000))
        #expect(try KeepAlive(json: .double(1.5)) == .duration(nanoseconds: 1_500_000_000))
        #expect(try KeepAlive(json: .int(-1)) == .forever)
        #expect(try KeepAlive(json: .string("-1m")) == .forever)
        #expect(try KeepAlive(json: .string("0s")).isZero)
        #expect(throws: APIError.self) { try KeepAlive(json: .string("3600")) }
        #expect(KeepAlive(environment: "3600") == .duration(nanoseconds: 3_600_000_000_000))
        #expect(KeepAlive(environment: "10m") == .duration(nanoseconds: 600_000_000_000))
    }

    @Test(arguments: [
        ("", "http://127.0.0.1:11434"), ("0.0.0.0", "http://0.0.0.0:11434"), (":8080", "http://127.0.0.1:8080"),
        ("example.com:99", "http://example.com:99"), ("https://example.com", "https://example.com:443"),
        ("http://10.0.0.2/ollama", "http://10.0.0.2:80/ollama"), ("[::1]:7000", "http://[::1]:7000"),
        ("host:notaport", "http://host:11434"), ("\"127.0.0.1:5000\"", "http://127.0.0.1:5000"),
    ])
    func hostAddressesParseAsOllama(text: String, expected: String) {
        #expect(HostAddress(parsing: text).description == expected)
    }

    @Test func unspecifiedHostsConnectOverLoopback() {
        #expect(HostAddress(parsing: "0.0.0.0:1234").connectable.description == "http://127.0.0.1:1234")
        #expect(HostAddress(parsing: "127.0.0.1").isLoopback)
        #expect(!HostAddress(parsing: "0.0.0.0").isLoopback)
    }

    @Test func requestFieldsFailAsGoDecoderDoes() {
        #expect(throws: APIError.missingBody) { try GenerateRequest(body: Array("  \n".utf8)) }
        #expect(throws: APIError.badRequest("json: cannot unmarshal string into Go struct field GenerateRequest.stream of type bool")) {
            try GenerateRequest(body: Array(#"{"model":"m","stream":"yes"}"#.utf8))
        }
        #expect(throws: APIError.badRequest("json: cannot unmarshal array into Go value of type api.ChatRequest")) {
            try ChatRequest(body: Array("[]".utf8))
        }
        #expect(throws: APIError.badRequest("invalid think value: \"hot\"")) {
            try ChatRequest(body: Array(#"{"model":"m","think":"hot"}"#.utf8))
        }
        #expect(throws: APIError.badRequest("top_logprobs must be between 0 and 20")) {
            try GenerateRequest(body: Array(#"{"model":"m","top_logprobs":21}"#.utf8))
        }
    }

    @Test func requestsReadTheirFieldsAndLegacyNames() throws {
        let chat = try ChatRequest(body: Array(#"""
        {"name":"m","messages":[{"role":"USER","content":"hi","tool_calls":[{"function":{"name":"f","arguments":{"b":1,"a":2}}}]}],
         "stream":false,"keep_alive":"1m","think":"high","options":{"temperature":0.5},"unknown":true}
        """#.utf8))
        #expect(chat.model == "m" && !chat.stream && chat.keepAlive == .duration(nanoseconds: 60_000_000_000))
        #expect(chat.messages[0].role == "user" && chat.think == .level("high"))
        #expect(chat.messages[0].toolCalls[0].arguments.keys == ["b", "a"])
        #expect(chat.options["temperature"] == .double(0.5))
        let embed = try EmbedRequest(body: Array(#"{"model":"m","input":"one"}"#.utf8))
        #expect(embed.inputs == ["one"] && embed.truncate)
        #expect(throws: APIError.badRequest("invalid input type")) { try EmbedRequest(body: Array(#"{"model":"m","input":[1]}"#.utf8)) }
        let create = try CreateRequest(body: Array(#"{"model":"x","files":{"a.gguf":"sha256:00"},"license":"MIT","quantization":"q8_0"}"#.utf8))
        #expect(create.files.map(\.name) == ["a.gguf"] && create.licenses == ["MIT"] && create.quantize == "q8_0" && create.stream)
    }

    @Test func messagesOmitEmptyFields() {
        var m = Message(role: "assistant", content: "x")
        #expect(m.json.text() == #"{"role":"assistant","content":"x"}"#)
        m.thinking = "t"
        m.toolCalls = [ToolCall(name: "f", arguments: ["q": .string("v")])]
        #expect(m.json.text() == #"{"role":"assistant","content":"x","thinking":"t","tool_calls":[{"function":{"index":0,"name":"f","arguments":{"q":"v"}}}]}"#)
    }

    @Test func timestampsAsGoMarshalsThem() {
        #expect(Timestamp.format(seconds: 1_700_000_000, nanoseconds: 639_712_648, local: false) == "2023-11-14T22:13:20.639712648Z")
        #expect(Timestamp.format(seconds: 1_700_000_000, nanoseconds: 500_000_000, local: false) == "2023-11-14T22:13:20.5Z")
        #expect(Timestamp.format(seconds: 1_700_000_000, nanoseconds: 0, local: false) == "2023-11-14T22:13:20Z")
    }
}
