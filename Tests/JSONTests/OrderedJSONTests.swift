import JSON
import Testing

@Suite("Ordered JSON")
struct OrderedJSONTests {
    @Test func parsingKeepsKeyOrderAndLastDuplicateWins() throws {
        let v = try JSONParser.parse(Array(#"{"zeta":1,"alpha":{"y":true,"b":null},"mid":"x","zeta":2}"#.utf8))
        let o = try #require(v.objectValue)
        #expect(o.keys == ["zeta", "alpha", "mid"])
        #expect(o["zeta"] == .int(2))
        #expect(o["alpha"]?.objectValue?.keys == ["y", "b"])
        #expect(v.text() == #"{"zeta":2,"alpha":{"y":true,"b":null},"mid":"x"}"#)
    }

    @Test func compactTextEscapesAsGo() {
        let v: JSONValue = .object(["think": .string("<think>a & b</think>\n"), "n": .array([.int(1), .float32(0.5), .double(1e-7)])])
        #expect(String(decoding: v.serialized(), as: UTF8.self)
                == #"{"think":"\u003cthink\u003ea \u0026 b\u003c/think\u003e\n","n":[1,0.5,1e-7]}"#)
    }

    @Test func prettyTextKeepsScalarArraysOnOneLine() {
        let v: JSONValue = .object(["ids": .array([.int(1), .int(2)]), "nested": .array([.object(["a": .bool(true)])]), "empty": .object([:])])
        #expect(v.text(pretty: true) == """
        {
          "ids": [1, 2],
          "nested": [
            {
              "a": true
            }
          ],
          "empty": {}
        }
        """)
    }

    @Test func settingAndRemovingMembers() {
        var o: JSONObject = ["a": .int(1), "b": .int(2), "c": .int(3)]
        o["b"] = nil
        o["d"] = .int(4)
        o["a"] = .int(0)
        #expect(o.keys == ["a", "c", "d"])
        #expect(o["c"] == .int(3))
        #expect(o == JSONObject(["d": .int(4), "a": .int(0), "c": .int(3)] as [String: JSONValue]))
    }
}
