import JSON

extension TemplateValue {
    /// What `{{ value }}` writes: `fmt.Fprint` of the value, except that a nil interface is `<no value>`.
    var printed: String {
        if case .nil = self { return "<no value>" }
        return formatted
    }

    /// `fmt`'s `%v`, honouring the `String()` methods the modelled Go types have.
    var formatted: String { format(depth: 0) }

    private func format(depth: Int) -> String {
        switch self {
        case .nil: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return Self.formatFloat(d)
        case .string(let s): return s
        case .list(let list):
            if let text = stringMethod(list.style, isNil: list.isNil) { return text }
            return "[" + list.items.map { $0.format(depth: depth + 1) }.joined(separator: " ") + "]"
        case .map(let map):
            if let text = stringMethod(map.style, isNil: map.isNil) { return text }
            return "map[" + map.sortedKeys.map { "\($0):\(map.entries[$0]!.format(depth: depth + 1))" }.joined(separator: " ") + "]"
        case .record(let record):
            if let text = stringMethod(record.style, isNil: false) { return text }
            // Go prints a nested pointer as an address; `&{…}` is the stable stand-in.
            return (record.isPointer ? "&{" : "{") + record.fields.map { $0.value.format(depth: depth + 1) }.joined(separator: " ") + "}"
        }
    }

    private func stringMethod(_ style: PrintStyle, isNil: Bool) -> String? {
        switch style {
        case .go: return nil
        case .json: return json
        case .jsonOrEmptyObject: return isNil ? "{}" : json
        case .propertyType:
            guard case .list(let list) = self else { return nil }
            if list.items.count == 1 { return list.items[0].formatted }
            return list.items.isEmpty ? "" : "[" + list.items.map(\.formatted).joined(separator: " ") + "]"
        }
    }

    /// `%v` of a float64: Go's shortest `%g`, exponent when below 1e-4 or at least 1e21.
    static func formatFloat(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        return GoFloatFormat(d).general
    }

    /// `encoding/json`'s `Marshal` of the value: compact, HTML-safe, map keys sorted.
    var json: String {
        var out: [UInt8] = []
        writeJSON(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func writeJSON(into out: inout [UInt8]) {
        switch self {
        case .nil: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .float(let d): out += Array((d.isFinite ? GoFloatFormat.json(d) : "null").utf8)
        case .string(let s): GoJSONEncoder.writeString(s, into: &out)
        case .list(let list):
            if list.style == .propertyType && list.items.count == 1 {
                list.items[0].writeJSON(into: &out)
                return
            }
            if list.isNil {
                out += Array("null".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, item) in list.items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.writeJSON(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .map(let map):
            if map.isNil {
                out += Array("null".utf8)
                return
            }
            writeObject(map.order ?? map.sortedKeys, value: { map.entries[$0]! }, into: &out)
        case .record(let record):
            let kept = record.fields.filter { !($0.omitEmpty && $0.value.isEmptyForJSON) }
            out.append(UInt8(ascii: "{"))
            for (i, field) in kept.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                GoJSONEncoder.writeString(field.jsonKey ?? field.name, into: &out)
                out.append(UInt8(ascii: ":"))
                field.value.writeJSON(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private func writeObject(_ keys: [String], value: (String) -> TemplateValue, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, key) in keys.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            GoJSONEncoder.writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            value(key).writeJSON(into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `omitempty`'s test: false, 0, "", nil, and empty slices and maps; never a struct.
    private var isEmptyForJSON: Bool {
        switch self {
        case .record: false
        default: !isTruthy
        }
    }
}
