@testable import JSON
import Testing

@Suite("JSON as Go writes it")
struct GoJSONTests {
    static func text(_ v: JSONValue) -> String { String(decoding: GoJSONEncoder.encode(v), as: UTF8.self) }

    @Test func mapsSortKeysAndEscapeHTML() {
        let v: JSONValue = .object(["temperature": .float32(0.7), "stop": .array([.string("<|im_end|>"), .string("a&b")]), "num_ctx": .int(8192)])
        #expect(Self.text(v) == #"{"num_ctx":8192,"stop":["\u003c|im_end|\u003e","a\u0026b"],"temperature":0.7}"# + "\n")
    }

    @Test func stringEscapes() {
        let s = "q\"b\\s/\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}é\u{2028}\u{2029}🙂"
        #expect(Self.text(.string(s)) == #""q\"b\\s/\n\r\t\b\f\u0001\u001f"# + "\u{7F}é" + #"\u2028\u2029"# + "🙂\"\n")
    }

    struct FloatCase: Sendable, CustomTestStringConvertible {
        var value: JSONValue
        var json: String
        var testDescription: String { json }
    }

    static let floats: [FloatCase] = [
        .init(value: .float32(0.7), json: "0.7"),
        .init(value: .float32(0.1), json: "0.1"),
        .init(value: .float32(1), json: "1"),
        .init(value: .float32(-0.0), json: "-0"),
        .init(value: .float32(1e-7), json: "1e-7"),
        .init(value: .float32(1.5e-6), json: "0.0000015"),
        .init(value: .float32(3.4028235e38), json: "3.4028235e+38"),
        .init(value: .double(0.7), json: "0.7"),
        .init(value: .double(100), json: "100"),
        .init(value: .double(123456789.125), json: "123456789.125"),
        .init(value: .double(1e20), json: "100000000000000000000"),
        .init(value: .double(1e21), json: "1e+21"),
        .init(value: .double(1.5e-7), json: "1.5e-7"),
        .init(value: .double(1e-10), json: "1e-10"),
        .init(value: .double(5e-324), json: "5e-324"),
        .init(value: .int(-42), json: "-42"),
    ]

    @Test(arguments: floats)
    func numbersAsGo(_ c: FloatCase) {
        #expect(Self.text(c.value) == c.json + "\n")
    }

    @Test(arguments: [(0.7, "0.7"), (1e6, "1e+06"), (123456.5, "123456.5"), (1234567.5, "1.2345675e+06"),
                      (0.0001, "0.0001"), (0.00001, "1e-05"), (0, "0"), (-2.5, "-2.5")])
    func printVerbAsGo(value: Double, printed: String) {
        #expect(GoFloatFormat(value).general == printed)
    }

    @Test func parsesAndKeepsIntegersExact() throws {
        let v = try JSONParser.parse(Array(#"{"size": 404430188384, "f": 0.5, "e": 1E2, "n": null, "t": true, "a": [], "s": "\u00e9\ud83d\ude42\/"}"#.utf8))
        let o = try #require(v.objectValue)
        #expect(o["size"] == .int(404_430_188_384))
        #expect(o["f"] == .double(0.5))
        #expect(o["e"] == .double(100))
        #expect(o["n"] == .null)
        #expect(o["t"] == .bool(true))
        #expect(o["a"] == .array([]))
        #expect(o["s"] == .string("é🙂/"))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "\"\\x\"", "\"a\u{01}\"", "nul", "1 2", "{1:2}", "[1e999]"])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func decodedValuesReencodeToTheSameBytes() throws {
        let bytes = Array(#"{"num_ctx":8192,"stop":["\u003c|User|\u003e"],"temperature":0.6,"top_p":0.95}"#.utf8) + [0x0A]
        #expect(GoJSONEncoder.encode(try JSONParser.parse(bytes)) == bytes)
    }
}
