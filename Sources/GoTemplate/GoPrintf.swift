/// `fmt.Sprintf` for the verbs templates use (`%v %s %d %q %f %t %x %X %e %g %c %%`) with the
/// `-`, `+`, `0` and space flags, width and precision. Go's complaint forms are kept:
/// `%!d(string=hi)`, `%!s(MISSING)`, `%!(EXTRA int=1)`.
enum GoPrintf {
    static func format(_ format: String, _ args: [TemplateValue]) -> String {
        var out = ""
        var argIndex = 0
        let chars = Array(format.unicodeScalars)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            i += 1
            guard c == "%" else {
                out.unicodeScalars.append(c)
                continue
            }
            var spec = Spec()
            flags: while i < chars.count {
                switch chars[i] {
                case "-": spec.leftAlign = true
                case "+": spec.plus = true
                case "0": spec.zeroPad = true
                case " ": spec.space = true
                case "#": spec.sharp = true
                default: break flags
                }
                i += 1
            }
            spec.width = number(chars, &i)
            if i < chars.count && chars[i] == "." {
                i += 1
                spec.precision = number(chars, &i) ?? 0
            }
            guard i < chars.count else {
                out += "%!(NOVERB)"
                break
            }
            let verb = chars[i]
            i += 1
            if verb == "%" {
                out += "%"
                continue
            }
            guard argIndex < args.count else {
                out += "%!\(verb)(MISSING)"
                continue
            }
            out += spec.pad(render(verb, args[argIndex], spec))
            argIndex += 1
        }
        if argIndex < args.count {
            out += "%!(EXTRA " + args[argIndex...].map { "\($0.goTypeName)=\($0.formatted)" }.joined(separator: ", ") + ")"
        }
        return out
    }

    private struct Spec {
        var leftAlign = false, plus = false, zeroPad = false, space = false, sharp = false
        var width: Int?
        var precision: Int?

        func pad(_ s: String) -> String {
            guard let width, s.count < width else { return s }
            let fill = String(repeating: zeroPad && !leftAlign ? "0" : " ", count: width - s.count)
            if leftAlign { return s + fill }
            if zeroPad, let sign = s.first, sign == "-" || sign == "+" { return String(sign) + fill + s.dropFirst() }
            return fill + s
        }

        func signed(_ s: String, negative: Bool) -> String {
            negative ? s : plus ? "+" + s : space ? " " + s : s
        }
    }

    private static func number(_ chars: [Unicode.Scalar], _ i: inout Int) -> Int? {
        var value: Int?
        while i < chars.count, let d = Int(String(chars[i])), chars[i].isASCII {
            value = (value ?? 0) * 10 + d
            i += 1
        }
        return value
    }

    private static func bad(_ verb: Unicode.Scalar, _ value: TemplateValue) -> String {
        if case .nil = value { return "%!\(verb)(<nil>)" }
        return "%!\(verb)(\(value.goTypeName)=\(value.formatted))"
    }

    private static func render(_ verb: Unicode.Scalar, _ value: TemplateValue, _ spec: Spec) -> String {
        switch (verb, value) {
        case ("v", _): return value.formatted
        case ("s", .string(let s)):
            return spec.precision.map { String(s.prefix($0)) } ?? s
        case ("s", .list), ("s", .map), ("s", .record): return value.formatted
        case ("q", .string(let s)): return GoQuote.quote(s)
        case ("q", .int(let i)):
            guard let scalar = Unicode.Scalar(UInt32(clamping: max(i, 0))) else { return bad(verb, value) }
            return "'" + String(GoQuote.quote(String(scalar)).dropFirst().dropLast()) + "'"
        case ("t", .bool(let b)): return b ? "true" : "false"
        case ("d", .int(let i)): return spec.signed(String(i), negative: i < 0)
        case ("c", .int(let i)):
            return Unicode.Scalar(UInt32(clamping: max(i, 0))).map { String($0) } ?? "\u{FFFD}"
        case ("x", .int(let i)), ("X", .int(let i)):
            let digits = String(i.magnitude, radix: 16, uppercase: verb == "X")
            return spec.signed((i < 0 ? "-" : "") + digits, negative: i < 0)
        case ("x", .string(let s)), ("X", .string(let s)):
            return s.utf8.map { GoQuote.hex(UInt32($0), width: 2, uppercase: verb == "X") }.joined()
        case ("f", .float(let d)), ("F", .float(let d)):
            return spec.signed(fixed(d, precision: spec.precision ?? 6), negative: d < 0)
        case ("e", .float(let d)):
            return spec.signed(exponential(d, precision: spec.precision ?? 6), negative: d < 0)
        case ("g", .float(let d)):
            return spec.signed(TemplateValue.formatFloat(d), negative: d < 0)
        default: return bad(verb, value)
        }
    }

    private static func fixed(_ d: Double, precision: Int) -> String {
        guard d.isFinite else { return TemplateValue.formatFloat(d) }
        // Scaling then rounding is not correctly rounded for every input (Go's is); templates
        // print small, human numbers, for which it is.
        let scale = pow10(precision)
        let rounded = (d.magnitude * scale).rounded(.toNearestOrEven)
        guard rounded < 1.8e19 else { return TemplateValue.formatFloat(d) } // beyond what templates print
        var digits = String(UInt64(rounded))
        if precision == 0 { return (d < 0 ? "-" : "") + digits }
        if digits.count <= precision { digits = String(repeating: "0", count: precision - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -precision)
        return (d < 0 ? "-" : "") + digits[..<point] + "." + digits[point...]
    }

    private static func exponential(_ d: Double, precision: Int) -> String {
        guard d.isFinite, d != 0 else { return d == 0 ? "0." + String(repeating: "0", count: precision) + "e+00" : TemplateValue.formatFloat(d) }
        var exponent = Int((d.magnitude).log10Floor)
        var mantissa = d.magnitude / pow10(exponent)
        mantissa = (mantissa * pow10(precision)).rounded(.toNearestOrEven) / pow10(precision)
        if mantissa >= 10 {
            mantissa /= 10
            exponent += 1
        }
        let body = fixed(mantissa, precision: precision)
        let exp = String(abs(exponent))
        return (d < 0 ? "-" : "") + body + "e" + (exponent < 0 ? "-" : "+") + (exp.count < 2 ? "0" + exp : exp)
    }

    private static func pow10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(n) { result *= 10 }
        return n < 0 ? 1 / result : result
    }
}

extension Double {
    fileprivate var log10Floor: Double {
        var e = 0.0
        var m = self
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        return e
    }
}
