/// Python's `str()` and `repr()` of values, byte for byte: what `{{ value }}` prints.
enum PythonFormat {
    /// `str(value)`; undefined prints as nothing.
    static func str(_ value: Value) -> String {
        switch value {
        case .undefined: ""
        case .string(let s): s
        default: repr(value)
        }
    }

    static func repr(_ value: Value) -> String {
        switch value {
        case .undefined: "Undefined"
        case .none: "None"
        case .bool(let b): b ? "True" : "False"
        case .int(let i): String(i)
        case .float(let f): float(f)
        case .string(let s): repr(s)
        case .list(let items): "[" + items.map(repr).joined(separator: ", ") + "]"
        case .tuple(let items): items.count == 1 ? "(" + repr(items[0]) + ",)" : "(" + items.map(repr).joined(separator: ", ") + ")"
        case .dict(let d): dict(d)
        case .namespace(let ns): "<Namespace " + dict(ns.attributes) + ">"
        case .function(let f): "<function \(f.name)>"
        case .loop(let loop): "<LoopContext \(loop.index0 + 1)/\(loop.items.count)>"
        }
    }

    private static func dict(_ d: Dict) -> String {
        "{" + d.entries.map { repr($0.key) + ": " + repr($0.value) }.joined(separator: ", ") + "}"
    }

    /// `repr(str)`: single quotes unless the text has a single quote and no double quote;
    /// non-printable characters escaped as `\xNN`, `\uNNNN`, `\UNNNNNNNN`.
    static func repr(_ s: String) -> String {
        let quote: Unicode.Scalar = s.unicodeScalars.contains("'") && !s.unicodeScalars.contains("\"") ? "\"" : "'"
        var out = String.UnicodeScalarView()
        out.append(quote)
        for c in s.unicodeScalars {
            switch c {
            case quote, "\\":
                out.append("\\")
                out.append(c)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            default:
                if isPrintable(c) {
                    out.append(c)
                } else {
                    let (prefix, width) = c.value < 0x100 ? ("\\x", 2) : c.value < 0x10000 ? ("\\u", 4) : ("\\U", 8)
                    out.append(contentsOf: (prefix + hex(c.value, width: width)).unicodeScalars)
                }
            }
        }
        out.append(quote)
        return String(out)
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Python's `str.isprintable` for one character: everything but control, format, surrogate,
    /// private-use, unassigned and separator characters, except the ASCII space.
    static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        if c == " " { return true }
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator: return false
        default: return true
        }
    }

    /// `repr(float)`: the shortest digits that round-trip, positional for exponents -4…15,
    /// scientific (`1e-05`, `1.5e+16`) outside.
    static func float(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let sign = value.sign == .minus ? "-" : ""
        var (digits, exponent) = shortestDigits(abs(value))
        if digits == "0" { return sign + "0.0" }
        if exponent < -4 || exponent >= 16 {
            let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
            let e = abs(exponent) < 10 ? "0" + String(abs(exponent)) : String(abs(exponent))
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + e
        }
        if exponent < 0 {
            return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
        }
        let integerDigits = exponent + 1
        if digits.count <= integerDigits {
            digits += String(repeating: "0", count: integerDigits - digits.count)
            return sign + digits + ".0"
        }
        return sign + String(digits.prefix(integerDigits)) + "." + String(digits.dropFirst(integerDigits))
    }

    /// The significant digits of Swift's shortest round-trip description and the decimal exponent
    /// of the first one (`1234.5` → ("12345", 3)).
    private static func shortestDigits(_ value: Double) -> (String, Int) {
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...])!
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var all = integerPart + fractionPart
        var pointExponent = integerPart.count - 1 + exponent
        while all.first == "0", all.count > 1 {
            all.removeFirst()
            pointExponent -= 1
        }
        while all.last == "0", all.count > 1 { all.removeLast() }
        return (all, all == "0" ? 0 : pointExponent)
    }
}
