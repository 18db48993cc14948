import Grammar
import JSON
import Testing

/// `format: "json"`: one object at the top, any JSON inside, bounded whitespace, nothing after.
@Suite struct GenericJSONTests {
    let json = try! JSONGrammar(schema: nil)

    @Test func acceptsObjectsWithEveryKindOfValue() {
        #expect(accepts(#"{"a": [1, -2.5e3, 0.25, "x", true, false, null, {}], "b": {"c": []}}"#, json))
        #expect(accepts("{}", json))
        #expect(accepts("{\n  \"a\": 1\n}", json))
    }

    @Test func topLevelMustBeAnObject() {
        #expect(read("[1]", json) == nil)
        #expect(read("\"x\"", json) == nil)
        #expect(read("1", json) == nil)
        #expect(read(" {}", json) == nil)
    }

    @Test func nothingFollowsTheValue() throws {
        let done = try #require(read("{}", json))
        #expect(done.isComplete && done.isFinished && !done.acceptsMoreBytes)
        #expect(read("{} ", json) == nil)
        #expect(read("{}{", json) == nil)
    }

    @Test func prefixesAreValidButIncomplete() throws {
        for prefix in ["{", "{\"a", "{\"a\"", "{\"a\":", "{\"a\": [1", "{\"a\": -", "{\"a\": 1."] {
            let state = try #require(read(prefix, json), "\(prefix)")
            #expect(!state.isComplete, "\(prefix)")
        }
    }

    @Test func whitespaceIsBoundedAsLlamaCppBoundsIt() {
        #expect(accepts("{ \"a\":1}", json))
        #expect(read("{  \"a\"", json) == nil)  // one space, not two
        #expect(accepts("{\n\n" + String(repeating: " ", count: 20) + "\"a\":1}", json))
        #expect(read("{\n" + String(repeating: " ", count: 21), json) == nil)
        #expect(read("{\n\n\n", json) == nil)
        #expect(read("{\"a\":1 ,", json) == nil)  // no space before a comma
        #expect(accepts("{\"a\":1 }", json))
        #expect(read("{\r\n", json) == nil)
        // A closing bracket ends the gap before it: the enclosing value's gap starts empty.
        #expect(accepts("{\"a\":[1\n" + String(repeating: " ", count: 20) + "],\"b\":{\"c\":1 },\"d\":2}", json))
    }

    @Test func stringsAreValidJSONAndValidUTF8() {
        #expect(accepts(#"{"a":"\" \\ \/ \b \f \n \r \t \u00e9 é € 😀"}"#, json))
        #expect(read(#"{"a":"\x"#, json) == nil)
        #expect(read(#"{"a":"\ud800"#, json) == nil)  // no surrogate escapes
        #expect(read(bytes: Array(#"{"a":""#.utf8) + [0x0A], json) == nil)  // raw control character
        #expect(read(bytes: Array(#"{"a":""#.utf8) + [0x7F], json) == nil)
        #expect(read(bytes: Array(#"{"a":""#.utf8) + [0x80], json) == nil)  // stray continuation
        #expect(read(bytes: Array(#"{"a":""#.utf8) + [0xC0, 0x80], json) == nil)  // overlong
        #expect(read(bytes: Array(#"{"a":""#.utf8) + [0xED, 0xA0], json) == nil)  // UTF-8 surrogate
        #expect(read(bytes: Array(#"{"a":""#.utf8) + [0xE2, 0x82], json) != nil)  // € split across tokens
        #expect(read(bytes: Array(#"{"a":""#.utf8) + [0xE2, 0x82, 0x22], json) == nil)
    }

    @Test func numbersFollowJSONWithLlamaCppDigitLimits() {
        #expect(read(#"{"a":01"#, json) == nil)
        #expect(read(#"{"a":-0"#, json) != nil)
        #expect(accepts(#"{"a":1234567890123456}"#, json))
        #expect(read(#"{"a":12345678901234567"#, json) == nil)
        #expect(accepts(#"{"a":1.5E+99}"#, json))
        #expect(read(#"{"a":1e100"#, json) == nil)  // three exponent digits could overflow a double
        #expect(read(#"{"a":1.}"#, json) == nil)
        #expect(read(#"{"a":.5"#, json) == nil)
        #expect(read(#"{"a":+1"#, json) == nil)
    }

    @Test func nestingIsLimited() {
        let deep = "{\"a\":" + String(repeating: "[", count: 30) + String(repeating: "]", count: 30) + "}"
        #expect(accepts(deep, json))
        #expect(read("{\"a\":" + String(repeating: "[", count: 40), json) == nil)
        // At the limit a container cannot open, but a scalar still can: the output can always go on.
        let full = "{\"a\":" + String(repeating: "[", count: 30)
        #expect(read(full + "[", json) == nil && read(full + "1", json) != nil)
    }
}
