/// Go's `strconv.Quote` and `strconv.Unquote`: string literals in templates use Go's escapes, and
/// Go's error messages and `%q` print strings quoted its way.
public enum GoQuote {
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default:
                if isPrint(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x80 {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return out + "\""
    }

    /// Go's `unicode.IsPrint`: graphic characters and the ASCII space, nothing else.
    static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    static func hex(_ value: UInt32, width: Int, uppercase: Bool = false) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The value of a `"…"`, `` `…` `` or `'…'` literal; nil when Go would reject it
    /// (`strconv.Unquote` reports only "invalid syntax").
    static func unquote(_ literal: String) -> String? {
        let scalars = Array(literal.unicodeScalars)
        guard scalars.count >= 2, let quote = scalars.first, scalars.last == quote else { return nil }
        let body = scalars[1..<scalars.count - 1]
        switch quote {
        case "`":
            guard !body.contains("`") else { return nil }
            return String(String.UnicodeScalarView(body.filter { $0 != "\r" }))
        case "\"", "'":
            guard let value = unescape(Array(body), quote: quote) else { return nil }
            if quote == "'" && value.unicodeScalars.count != 1 { return nil }
            return value
        default:
            return nil
        }
    }

    private static func unescape(_ body: [Unicode.Scalar], quote: Unicode.Scalar) -> String? {
        var out = String.UnicodeScalarView()
        var bytes: [UInt8] = [] // \x and octal escapes spell bytes, which may form UTF-8 together
        func flushBytes() {
            out.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars)
            bytes.removeAll()
        }
        var i = 0
        while i < body.count {
            let c = body[i]
            i += 1
            if c == quote || c == "\n" { return nil }
            guard c == "\\" else {
                flushBytes()
                out.append(c)
                continue
            }
            guard i < body.count else { return nil }
            let e = body[i]
            i += 1
            func digits(_ count: Int, radix: Int) -> UInt32? {
                guard i + count <= body.count else { return nil }
                let text = String(String.UnicodeScalarView(body[i..<i + count]))
                guard let v = UInt32(text, radix: radix) else { return nil }
                i += count
                return v
            }
            switch e {
            case "a", "b", "f", "n", "r", "t", "v", "\\":
                flushBytes()
                let map: [Unicode.Scalar: Unicode.Scalar] = ["a": "\u{07}", "b": "\u{08}", "f": "\u{0C}", "n": "\n", "r": "\r", "t": "\t", "v": "\u{0B}", "\\": "\\"]
                out.append(map[e]!)
            case "'", "\"":
                guard e == quote else { return nil }
                flushBytes()
                out.append(e)
            case "x":
                guard let v = digits(2, radix: 16) else { return nil }
                bytes.append(UInt8(v))
            case "0"..."7":
                i -= 1
                guard let v = digits(3, radix: 8), v <= 0xFF else { return nil }
                bytes.append(UInt8(v))
            case "u", "U":
                guard let v = digits(e == "u" ? 4 : 8, radix: 16), let scalar = Unicode.Scalar(v) else { return nil }
                flushBytes()
                out.append(scalar)
            default:
                return nil
            }
        }
        flushBytes()
        return String(out)
    }
}
