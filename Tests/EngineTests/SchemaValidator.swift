import JSON

/// A small JSON Schema validator for the keywords the grammar supports, written from the
/// specification (not from the grammar), so the property tests check the recognizer against an
/// independent reading. Returns what is wrong, empty when `value` is valid.
struct SchemaValidator {
    let root: JSONValue

    func errors(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        switch schema {
        case .bool(let b): return b ? [] : ["\(path): false schema"]
        case .object(let s): return errors(value, s, at: path)
        default: return ["\(path): schema is not an object"]
        }
    }

    private func errors(_ value: JSONValue, _ s: JSONObject, at path: String) -> [String] {
        if let ref = s["$ref"]?.stringValue { return errors(value, resolve(ref), at: path) }
        if let alternatives = s["anyOf"]?.arrayValue {
            return alternatives.contains { errors(value, $0, at: path).isEmpty } ? [] : ["\(path): no anyOf alternative matches"]
        }
        if let alternatives = s["oneOf"]?.arrayValue {
            let matches = alternatives.filter { errors(value, $0, at: path).isEmpty }.count
            return matches == 1 ? [] : ["\(path): \(matches) oneOf alternatives match"]
        }
        var problems: [String] = []
        if let types = s["type"] {
            let names = types.arrayValue?.compactMap(\.stringValue) ?? [types.stringValue!]
            if !names.contains(where: { Self.has(value, type: $0) }) { problems.append("\(path): not of type \(names)") }
        }
        if let constant = s["const"], !Self.same(value, constant) { problems.append("\(path): not the const") }
        if let options = s["enum"]?.arrayValue, !options.contains(where: { Self.same(value, $0) }) {
            problems.append("\(path): not in the enum")
        }
        switch value {
        case .object(let object):
            let properties = s["properties"]?.objectValue ?? JSONObject()
            for name in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                problems.append("\(path): missing required \(name)")
            }
            var seen = Set<String>()
            for member in object {
                if !seen.insert(member.key).inserted { problems.append("\(path): duplicate key \(member.key)") }
                if let property = properties[member.key] {
                    problems += errors(member.value, property, at: "\(path).\(member.key)")
                } else if let extra = s["additionalProperties"] {
                    problems += errors(member.value, extra, at: "\(path).\(member.key)")
                }
            }
        case .array(let items):
            if let n = s["minItems"]?.intValue, items.count < n { problems.append("\(path): fewer than \(n) items") }
            if let n = s["maxItems"]?.intValue, items.count > n { problems.append("\(path): more than \(n) items") }
            if let item = s["items"] {
                for (i, element) in items.enumerated() { problems += errors(element, item, at: "\(path)[\(i)]") }
            }
        case .string(let text):
            let length = text.unicodeScalars.count
            if let n = s["minLength"]?.intValue, length < n { problems.append("\(path): shorter than \(n)") }
            if let n = s["maxLength"]?.intValue, length > n { problems.append("\(path): longer than \(n)") }
        case .int, .double, .float32:
            let x = value.doubleValue!
            if let m = s["minimum"]?.doubleValue, !(x >= m) { problems.append("\(path): \(x) < minimum \(m)") }
            if let m = s["maximum"]?.doubleValue, !(x <= m) { problems.append("\(path): \(x) > maximum \(m)") }
            if let m = s["exclusiveMinimum"]?.doubleValue, !(x > m) { problems.append("\(path): \(x) ≤ exclusiveMinimum \(m)") }
            if let m = s["exclusiveMaximum"]?.doubleValue, !(x < m) { problems.append("\(path): \(x) ≥ exclusiveMaximum \(m)") }
        default:
            break
        }
        return problems
    }

    private func resolve(_ ref: String) -> JSONValue {
        var target = root
        for token in ref.dropFirst(2).split(separator: "/") { target = target.objectValue![String(token)]! }
        return target
    }

    static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("number", .int), ("number", .double), ("number", .float32): true
        case ("integer", _): value.intValue != nil && value.doubleValue != nil
        default: false
        }
    }

    /// JSON equality: numbers by value, objects regardless of key order.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            x.count == y.count && x.allSatisfy { member in y[member.key].map { same(member.value, $0) } ?? false }
        default:
            if let x = a.doubleValue, let y = b.doubleValue { x == y } else { a == b }
        }
    }
}
