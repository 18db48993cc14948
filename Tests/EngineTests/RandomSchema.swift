import JSON
import TestSupport

/// Seeded random JSON Schemas over the supported keywords: nested objects with required and
/// optional properties, arrays with item counts, enums, consts, bounded numbers and integers,
/// strings with lengths, unions and `$defs` references.
struct RandomSchema {
    var random: SeededRandom
    private var definitions = JSONObject()

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    /// A top-level schema (an object, as format schemas usually are), with its `$defs` attached.
    mutating func document() -> JSONValue {
        definitions = JSONObject()
        guard case .object(var top) = object(depth: 0) else { preconditionFailure() }
        if !definitions.isEmpty { top["$defs"] = .object(definitions) }
        return .object(top)
    }

    private mutating func pick(_ n: Int) -> Int { Int.random(in: 0..<n, using: &random) }
    private mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }

    private mutating func any(depth: Int) -> JSONValue {
        let kinds = depth >= 3 ? 8 : 12
        switch pick(kinds) {
        case 0: return string()
        case 1: return integer()
        case 2: return number()
        case 3: return .object(["type": .string("boolean")])
        case 4: return .object(["type": .string("null")])
        case 5: return .object(["enum": .array(enumValues())])
        case 6: return .object(["const": enumValues()[0]])
        case 7: return .object(["type": .array([.string("string"), .string("null")]), "maxLength": .int(8)])
        case 8, 9: return object(depth: depth + 1)
        case 10: return array(depth: depth + 1)
        default:
            if chance(0.5) {
                return .object(["anyOf": .array([object(depth: depth + 1), any(depth: depth + 1)])])
            }
            // Claim the name before building the definition, which may add definitions of its own.
            let name = "d\(definitions.count)"
            definitions[name] = .null
            definitions[name] = any(depth: depth + 1)
            return .object(["$ref": .string("#/$defs/\(name)")])
        }
    }

    private mutating func object(depth: Int) -> JSONValue {
        var properties = JSONObject()
        var required: [JSONValue] = []
        for i in 0..<(1 + pick(4)) {
            let name = ["id", "name", "value", "items", "kind", "x", "x y", "é"][pick(8)] + (i > 0 ? "\(i)" : "")
            properties[name] = any(depth: depth)
            if chance(0.6) { required.append(.string(name)) }
        }
        var schema: JSONObject = ["type": .string("object"), "properties": .object(properties), "required": .array(required)]
        if chance(0.15) { schema["additionalProperties"] = .object(["type": .string("integer")]) }
        return .object(schema)
    }

    private mutating func array(depth: Int) -> JSONValue {
        var schema: JSONObject = ["type": .string("array"), "items": any(depth: depth)]
        let minimum = pick(3)
        if chance(0.5) { schema["minItems"] = .int(minimum) }
        if chance(0.6) { schema["maxItems"] = .int(minimum + pick(3)) }
        return .object(schema)
    }

    private mutating func string() -> JSONValue {
        var schema: JSONObject = ["type": .string("string")]
        let minimum = pick(4)
        if chance(0.4) { schema["minLength"] = .int(minimum) }
        schema["maxLength"] = .int(minimum + pick(12))  // bounded, so random walks end
        return .object(schema)
    }

    private mutating func integer() -> JSONValue {
        var schema: JSONObject = ["type": .string("integer")]
        let low = pick(2000) - 1000
        if chance(0.5) { schema[chance(0.5) ? "minimum" : "exclusiveMinimum"] = .int(low) }
        if chance(0.5) { schema[chance(0.5) ? "maximum" : "exclusiveMaximum"] = .int(low + 2 + pick(500)) }
        return .object(schema)
    }

    private mutating func number() -> JSONValue {
        var schema: JSONObject = ["type": .string("number")]
        let low = Double(pick(2000) - 1000) / 8
        if chance(0.5) { schema[chance(0.5) ? "minimum" : "exclusiveMinimum"] = .double(low) }
        if chance(0.5) { schema[chance(0.5) ? "maximum" : "exclusiveMaximum"] = .double(low + 0.1 + Double(pick(100))) }
        return .object(schema)
    }

    private mutating func enumValues() -> [JSONValue] {
        let pool: [JSONValue] = [.string("red"), .string("green"), .string("blue"), .string("gr"), .int(1), .int(12), .int(-3),
                                 .double(2.5), .null, .bool(true), .string("quote \" and \\"), .string("naïve"),
                                 .array([.int(1), .string("a")]), .object(["k": .int(1)])]
        return (0..<(1 + pick(4))).map { _ in pool[pick(pool.count)] }
    }
}
