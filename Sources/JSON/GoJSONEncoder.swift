/// A JSON node for writing: Go structs keep their field order, Go maps sort their keys.
public indirect enum GoJSON {
    case value(JSONValue)
    /// A struct's fields in declaration order; nil values are `omitempty` fields left out.
    case structure([(key: String, value: GoJSON?)])
    case list([GoJSON])
}

/// Writes JSON byte for byte as Go's `json.NewEncoder(w).Encode(v)` does: compact, HTML-safe
/// escaping of `<`, `>`, `&`, U+2028 and U+2029, map keys sorted, and a trailing newline.
/// Identical bytes give identical digests, so a model created by Tern and by Ollama dedupes.
public enum GoJSONEncoder {
    public static func encode(_ node: GoJSON) -> [UInt8] {
        var out: [UInt8] = []
        write(node, into: &out)
        out.append(0x0A)
        return out
    }

    public static func encode(_ value: JSONValue) -> [UInt8] { encode(.value(value)) }

    private static func write(_ node: GoJSON, into out: inout [UInt8]) {
        switch node {
        case .value(let v): write(v, into: &out)
        case .list(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .structure(let fields):
            out.append(UInt8(ascii: "{"))
            var first = true
            for field in fields {
                guard let value = field.value else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(field.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        // Go refuses to encode NaN and infinities; Tern's parsers never produce them, so
        // a caller-made one is written as null rather than as invalid JSON.
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .float32(let f): out += Array((f.isFinite ? GoFloatFormat.json(f) : "null").utf8)
        case .double(let d): out += Array((d.isFinite ? GoFloatFormat.json(d) : "null").utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let items): write(.list(items.map { .value($0) }), into: &out)
        case .object(let members):
            write(.structure(members.keys.sorted(by: goLess).map { (key: $0, value: .value(members[$0]!)) }), into: &out)
        }
    }

    /// Go sorts map keys by their bytes.
    public static func goLess(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    private static let hex = Array("0123456789abcdef".utf8)

    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20, 0x3C, 0x3E, 0x26, 0x2028, 0x2029:
                let v = scalar.value
                out += [0x5C, UInt8(ascii: "u"), hex[Int(v >> 12 & 0xF)], hex[Int(v >> 8 & 0xF)], hex[Int(v >> 4 & 0xF)], hex[Int(v & 0xF)]]
            default: out.append(contentsOf: scalar.utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
