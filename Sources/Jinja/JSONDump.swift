/// Python's `json.dumps` as HF's `tojson` filter calls it: `ensure_ascii=False` unless asked,
/// separators `", "`/`": "` (`","` between items once indented), keys in insertion order unless
/// `sort_keys`, floats as Python's `repr`.
struct JSONDump {
    var indent: String?
    var itemSeparator: String
    var keySeparator: String
    var sortKeys = false
    var ensureASCII = false

    init(indent: String?, separators: (String, String)? = nil, sortKeys: Bool = false, ensureASCII: Bool = false) {
        self.indent = indent
        self.itemSeparator = separators?.0 ?? (indent == nil ? ", " : ",")
        self.keySeparator = separators?.1 ?? ": "
        self.sortKeys = sortKeys
        self.ensureASCII = ensureASCII
    }

    func dump(_ value: Value) throws(JinjaError) -> String {
        var out = ""
        try write(value, level: 0, into: &out)
        return out
    }

    private func newline(_ level: Int, into out: inout String) {
        guard let indent else { return }
        out += "\n" + String(repeating: indent, count: level)
    }

    private func write(_ value: Value, level: Int, into out: inout String) throws(JinjaError) {
        switch value {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let f):
            out += f.isNaN ? "NaN" : f.isInfinite ? (f < 0 ? "-Infinity" : "Infinity") : PythonFormat.float(f)
        case .string(let s): writeString(s, into: &out)
        case .list(let items), .tuple(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += itemSeparator }
                newline(level + 1, into: &out)
                try write(item, level: level + 1, into: &out)
            }
            newline(level, into: &out)
            out += "]"
        case .dict(let d):
            guard !d.isEmpty else { out += "{}"; return }
            var entries = d.entries
            if sortKeys { entries.sort { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) } }
            out += "{"
            for (i, entry) in entries.enumerated() {
                if i > 0 { out += itemSeparator }
                newline(level + 1, into: &out)
                writeString(entry.key, into: &out)
                out += keySeparator
                try write(entry.value, level: level + 1, into: &out)
            }
            newline(level, into: &out)
            out += "}"
        case .undefined, .namespace, .function, .loop:
            throw .runtime("Object of type \(value.typeName) is not JSON serializable")
        }
    }

    private func writeString(_ s: String, into out: inout String) {
        var view = String.UnicodeScalarView()
        view.append("\"")
        for c in s.unicodeScalars {
            switch c {
            case "\"": view.append(contentsOf: "\\\"".unicodeScalars)
            case "\\": view.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": view.append(contentsOf: "\\n".unicodeScalars)
            case "\r": view.append(contentsOf: "\\r".unicodeScalars)
            case "\t": view.append(contentsOf: "\\t".unicodeScalars)
            case "\u{08}": view.append(contentsOf: "\\b".unicodeScalars)
            case "\u{0C}": view.append(contentsOf: "\\f".unicodeScalars)
            default:
                if c.value < 0x20 || (ensureASCII && c.value > 0x7E) {
                    for unit in String(c).utf16 {
                        view.append(contentsOf: ("\\u" + PythonFormat.hex(UInt32(unit), width: 4)).unicodeScalars)
                    }
                } else {
                    view.append(c)
                }
            }
        }
        view.append("\"")
        out += String(view)
    }
}
