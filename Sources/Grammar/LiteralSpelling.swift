import JSON

/// The one spelling a fixed value (enum or const member, declared key) must be written in: compact
/// JSON with only the escapes JSON requires, so a model writes it the way it naturally would.
enum LiteralSpelling {
    static func bytes(of value: JSONValue, path: String) throws(GrammarError) -> [UInt8] {
        var out: [UInt8] = []
        try write(value, into: &out, path: path)
        return out
    }

    /// A string's characters as written between its quotes.
    static func stringContent(_ string: String) -> [UInt8] {
        var out: [UInt8] = []
        writeContent(string, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8], path: String) throws(GrammarError) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .float32(let f): out += Array(GoFloatFormat.json(f).utf8)
        case .double(let d):
            guard d.isFinite else { throw .invalidSchema("a fixed value is not a finite number", path: path) }
            out += Array(GoFloatFormat.json(d).utf8)
        case .string(let s):
            out.append(UInt8(ascii: "\""))
            writeContent(s, into: &out)
            out.append(UInt8(ascii: "\""))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(item, into: &out, path: path)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(.string(member.key), into: &out, path: path)
                out.append(UInt8(ascii: ":"))
                try write(member.value, into: &out, path: path)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeContent(_ string: String, into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        for b in string.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [0x5C, b]
            case UInt8(ascii: "\\"): out += [0x5C, b]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
    }
}
