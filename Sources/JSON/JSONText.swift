extension JSONValue {
    /// Compact JSON with object keys in their order and strings escaped as Go's `encoding/json`
    /// escapes them (so `<think>` travels as `\u003cthink\u003e`, exactly as Ollama sends it).
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(into: &out, pretty: false, indent: 0)
        return out
    }

    /// Compact or pretty (two-space indent; arrays of scalars stay on one line, else token lists
    /// become unreadable) text, keys in order.
    public func text(pretty: Bool = false) -> String {
        var out: [UInt8] = []
        write(into: &out, pretty: pretty, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private var isContainer: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }

    private func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
        func newline(_ depth: Int) {
            guard pretty else { return }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: 2 * depth))
        }
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        // JSON has no NaN or infinity; callers check numbers they must not lose (embeddings).
        case .float32(let f): out += Array((f.isFinite ? GoFloatFormat.json(f) : "null").utf8)
        case .double(let d): out += Array((d.isFinite ? GoFloatFormat.json(d) : "null").utf8)
        case .string(let s): GoJSONEncoder.writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            let flat = !items.contains(where: \.isContainer)
            for (i, item) in items.enumerated() {
                if i > 0 {
                    out.append(UInt8(ascii: ","))
                    if flat && pretty { out.append(0x20) }
                }
                if !flat { newline(indent + 1) }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if !flat && !items.isEmpty { newline(indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                GoJSONEncoder.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(0x20) }
                member.value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if !members.isEmpty { newline(indent) }
            out.append(UInt8(ascii: "}"))
        }
    }
}
