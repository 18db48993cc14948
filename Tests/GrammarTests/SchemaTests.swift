import Grammar
import JSON
import Testing

/// Schemas compiled as llama.cpp's json-schema-to-grammar compiles them.
@Suite struct SchemaTests {
    @Test func requiredPropertiesComeFirstThenOptionalOnesInSchemaOrder() throws {
        let g = try schema(#"{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"}}},"required":["age"]}"#)
        #expect(accepts(#"{"age":1,"name":"x","tags":["a"]}"#, g))
        #expect(accepts(#"{"age":1,"tags":[]}"#, g))
        #expect(accepts(#"{"age": 1}"#, g))
        #expect(read(#"{"name":"x""#, g) == nil)  // the required key comes first
        #expect(read(#"{"age":1,"tags":[],"name""#, g) == nil)  // optional keys keep schema order
        #expect(read("{}", g) == nil)
        #expect(read(#"{"age":1,"other""#, g) == nil)  // no undeclared keys by default
        // Whitespace after a value leads only to `}`: not while a required key is still due.
        let two = try schema(#"{"properties":{"a":{"type":"null"},"b":{"type":"null"}},"required":["a","b"]}"#)
        #expect(read(#"{"a":null "#, two) == nil && accepts(#"{"a":null,"b":null }"#, two))
        #expect(read("[1 ", try schema(#"{"type":"array","minItems":2}"#)) == nil)
        #expect(read(#"{"age":"1""#, g) == nil)
    }

    @Test func additionalPropertiesWhenAllowedComeLastAndNeverRepeatADeclaredKey() throws {
        let g = try schema(#"{"type":"object","properties":{"a":{"type":"integer"},"ab":{"type":"integer"}},"additionalProperties":{"type":"boolean"}}"#)
        #expect(accepts(#"{"a":1,"abc":true,"z":false}"#, g))
        #expect(accepts(#"{"ab":1}"#, g))
        #expect(accepts(#"{"x":true}"#, g))
        #expect(read(#"{"ab":1,"a""#, g) == nil)  // "a" spells a declared key
        #expect(read(#"{"x":true,"a""#, g) == nil)
        #expect(read(#"{"x":1"#, g) == nil)
    }

    @Test func emptyAndAnnotationOnlySchemasFollowLlamaCpp() throws {
        #expect(accepts(#"{"k":[1]}"#, try schema("{}")))
        #expect(read("1", try schema("{}")) == nil)
        #expect(accepts("1", try schema(#"{"description":"anything"}"#)))
        #expect(accepts("[]", try schema("true")))
        #expect(accepts(#"{"q":null}"#, try schema(#"{"type":"object"}"#)))
        #expect(accepts("{}", try schema(#"{"type":"object","properties":{}}"#)))
        #expect(read(#"{"q""#, try schema(#"{"type":"object","properties":{}}"#)) == nil)
    }

    @Test func enumsAndConstsAreTheirCompactSpellings() throws {
        let g = try schema(#"{"enum":["red","green",3,null,{"k":[1,2]}]}"#)
        for ok in [#""red""#, #""green""#, "3", "null", #"{"k":[1,2]}"#] { #expect(accepts(ok, g), "\(ok)") }
        #expect(read(#""re"#, g) != nil)
        #expect(read(#""blue""#, g) == nil)
        #expect(read("30", g) == nil)
        let numbers = try schema(#"{"enum":[1,12]}"#)
        #expect(accepts("1", numbers) && accepts("12", numbers))
        #expect(read("1", numbers)?.acceptsMoreBytes == true)
        #expect(read("12", numbers)?.isFinished == true)
        #expect(accepts(#""a\"b""#, try schema(#"{"const":"a\"b"}"#)))
    }

    @Test func arraysCountTheirItems() throws {
        let g = try schema(#"{"type":"array","items":{"type":"integer"},"minItems":1,"maxItems":2}"#)
        #expect(read("[]", g) == nil)
        #expect(accepts("[1]", g) && accepts("[1, 2]", g) && accepts("[ 1,\n 2 ]", g))
        #expect(read("[1,2,", g) == nil)
        #expect(accepts("[]", try schema(#"{"type":"array","maxItems":0}"#)))
    }

    @Test func stringLengthsCountCodePoints() throws {
        let g = try schema(#"{"type":"string","minLength":2,"maxLength":3}"#)
        #expect(read(#""a""#, g) == nil)
        #expect(accepts(#""ab""#, g) && accepts(#""é€😀""#, g) && accepts(#""\n\u0041""#, g))
        #expect(read(#""abcd"#, g) == nil)
    }

    @Test func integerBoundsAreExact() throws {
        let g = try schema(#"{"type":"integer","minimum":10,"maximum":20}"#)
        #expect(read("1", g) != nil && read("2", g) != nil)
        #expect(read("3", g) == nil && read("21", g) == nil && read("-", g) == nil && read("0", g) == nil)
        #expect(accepts("10", g) && accepts("20", g) && !accepts("1", g))
        #expect(read("10.", g) == nil)
        let exclusive = try schema(#"{"type":"integer","exclusiveMinimum":-3,"exclusiveMaximum":0}"#)
        #expect(accepts("-2", exclusive) && accepts("-1", exclusive))
        #expect(read("-3", exclusive) == nil && read("0", exclusive) == nil)
        let atLeastZero = try schema(#"{"type":"integer","minimum":0}"#)
        #expect(read("-1", atLeastZero) == nil && accepts("-0", atLeastZero) && accepts("0", atLeastZero) && accepts("9999999999999999", atLeastZero))
    }

    @Test func numberBoundsAreExactDecimals() throws {
        let g = try schema(#"{"type":"number","minimum":0.5,"maximum":2.5}"#)
        #expect(read("0", g) != nil && accepts("0.5", g) && accepts("2.5", g) && accepts("1", g))
        #expect(read("0.4", g) == nil && read("2.6", g) == nil && read("3", g) == nil && read("-", g) == nil)
        #expect(read("1e", g) == nil)  // bounded numbers have no exponent
        #expect(!accepts("0", g))
        let below = try schema(#"{"type":"number","exclusiveMaximum":1}"#)
        #expect(read("1", below) == nil && accepts("0.9999999999999999", below) && accepts("-7", below))
    }

    @Test func referencesAndRecursion() throws {
        let g = try schema(##"{"$ref":"#/$defs/node","$defs":{"node":{"type":"object","properties":{"v":{"type":"integer"},"kids":{"type":"array","items":{"$ref":"#/$defs/node"}}},"required":["v"]}}}"##)
        #expect(accepts(#"{"v":1,"kids":[{"v":2},{"v":3,"kids":[{"v":4}]}]}"#, g))
        #expect(read(#"{"v":1,"kids":[{"w""#, g) == nil)
        let legacy = try schema(##"{"definitions":{"n":{"type":"null"}},"type":"array","items":{"$ref":"#/definitions/n"}}"##)
        #expect(accepts("[null,null]", legacy))
    }

    @Test func unionsKeepEveryAlternativeUntilBytesDecide() throws {
        let g = try schema(#"{"anyOf":[{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]},{"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}]}"#)
        #expect(accepts(#"{"a":1}"#, g) && accepts(#"{"b":"x"}"#, g))
        #expect(read(#"{"c"#, g) == nil && read(#"{"a":"x"#, g) == nil)
        let nullable = try schema(#"{"type":["string","null"]}"#)
        #expect(accepts("null", nullable) && accepts(#""s""#, nullable) && read("1", nullable) == nil)
        let oneOf = try schema(#"{"oneOf":[{"type":"boolean"},{"type":"integer"}]}"#)
        #expect(accepts("true", oneOf) && accepts("7", oneOf))
    }

    @Test func refusalsNameTheKeywordAndWhere() {
        #expect(throws: GrammarError.unsupportedKeyword("pattern", path: "#/properties/x")) {
            try schema(#"{"type":"object","properties":{"x":{"type":"string","pattern":"^a$"}}}"#)
        }
        #expect(throws: GrammarError.unsupportedKeyword("allOf", path: "#")) { try schema(##"{"allOf":[{}]}"##) }
        #expect(throws: GrammarError.unsupportedKeyword("uniqueItems", path: "#")) {
            try schema(#"{"type":"array","uniqueItems":true}"#)
        }
        #expect(throws: GrammarError.unresolvedReference("https://x/y.json", path: "#")) { try schema(##"{"$ref":"https://x/y.json"}"##) }
        #expect(throws: GrammarError.unresolvedReference("#/$defs/missing", path: "#")) { try schema(##"{"$ref":"#/$defs/missing"}"##) }
        #expect(throws: GrammarError.circularReference("#")) { try schema(##"{"$ref":"#"}"##) }
        #expect(throws: GrammarError.invalidSchema("unknown type 'text'", path: "#")) { try schema(##"{"type":"text"}"##) }
        #expect(throws: GrammarError.invalidSchema("required property 'b' is not declared in 'properties'", path: "#")) {
            try schema(#"{"properties":{"a":{}},"required":["b"]}"#)
        }
        #expect(throws: GrammarError.invalidSchema("no integer of at most 16 digits lies within the bounds", path: "#")) {
            try schema(#"{"type":"integer","minimum":5,"maximum":4}"#)
        }
        #expect(throws: GrammarError.invalidSchema("'minItems' exceeds 'maxItems'", path: "#")) {
            try schema(#"{"type":"array","minItems":3,"maxItems":2}"#)
        }
    }
}
