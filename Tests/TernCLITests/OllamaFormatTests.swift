@testable import Engine
@testable import TernCLI
import JSON
import OllamaAPI
import Testing

@Suite("Ollama-style output")
struct OllamaFormatTests {
    @Test(arguments: [
        (UInt64(0), "0s"), (999, "999ns"), (1_500, "1.5µs"), (85_331_000, "85.331ms"), (130_079_000, "130.079ms"),
        (1_000_000_000, "1s"), (10_706_818_083, "10.706818083s"), (123_100_000_000, "2m3.1s"), (3_723_000_000_000, "1h2m3s"),
    ])
    func goDurations(ns: UInt64, expected: String) {
        #expect(GoDuration.format(nanoseconds: ns) == expected)
    }

    @Test func statisticsBlock() {
        var s = GenerationStats()
        s.promptTokens = 26
        s.promptDuration = 130_079_000
        s.generatedTokens = 259
        s.generationDuration = 4_232_710_000
        s.totalDuration = 4_368_599_792
        let text = OllamaFormat.statistics(Metrics(s, loadDuration: 6_338_219_291))
        #expect(text == """
        total duration:       10.706819083s
        load duration:        6.338219291s
        prompt eval count:    26 token(s)
        prompt eval duration: 130.079ms
        prompt eval rate:     199.88 tokens/s
        eval count:           259 token(s)
        eval duration:        4.23271s
        eval rate:            61.19 tokens/s

        """)
    }

    @Test func jsonEscapesAndKeepsKeyOrder() {
        let v = JSONValue.object([("b", .string("a\"b\\c\n\u{1}")), ("a", .array([.int(1), .float32(0.5), .bool(true), .null]))])
        #expect(v.text() == #"{"b":"a\"b\\c\n\u0001","a":[1,0.5,true,null]}"#)
    }

    @Test func statisticsSkipZeroLines() {
        var m = Metrics()
        m.totalDuration = 2_500_000_000
        m.evalCount = 3
        m.evalDuration = 1_000_000_000
        #expect(OllamaFormat.statistics(m) == """
        total duration:       2.5s
        eval count:           3 token(s)
        eval duration:        1s
        eval rate:            3.00 tokens/s

        """)
    }
}
