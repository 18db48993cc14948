/// Go's float printing (`strconv.FormatFloat` with precision -1), built on the shortest
/// round-tripping digits that Swift's `description` already produces. Needed so that the params
/// and config blobs Tern writes have the bytes Go's encoder would write, and so that
/// `show --modelfile` prints numbers as Ollama does.
public struct GoFloatFormat {
    /// Significant digits without leading or trailing zeros ("" for zero).
    let digits: [UInt8]
    /// The decimal point's position relative to the first digit: value = 0.d₁d₂… × 10^decimalPoint.
    let decimalPoint: Int
    let negative: Bool

    public init(_ value: Float) { self.init(shortest: value.description) }
    public init(_ value: Double) { self.init(shortest: value.description) }

    /// Parses Swift's shortest form: "0.7", "1e-05", "100.0", "1.2345e+16", "-0.0".
    private init(shortest text: String) {
        var mantissa = Substring(text)
        var exponent = 0
        negative = mantissa.first == "-"
        if negative { mantissa = mantissa.dropFirst() }
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(mantissa[mantissa.index(after: e)...]) ?? 0
            mantissa = mantissa[..<e]
        }
        var all: [UInt8] = []
        var pointAt: Int?
        for c in mantissa.utf8 {
            if c == UInt8(ascii: ".") { pointAt = all.count } else { all.append(c) }
        }
        var point = (pointAt ?? all.count) + exponent
        while all.first == UInt8(ascii: "0") {
            all.removeFirst()
            point -= 1
        }
        while all.last == UInt8(ascii: "0") { all.removeLast() }
        digits = all
        decimalPoint = all.isEmpty ? 0 : point
    }

    private var isZero: Bool { digits.isEmpty }
    private var sign: String { negative ? "-" : "" }

    /// `%f` with the shortest digits: "0.7", "100", "0.000123".
    var fixed: String {
        var out = sign
        if decimalPoint > 0 {
            for i in 0..<decimalPoint { out.append(i < digits.count ? Character(Unicode.Scalar(digits[i])) : "0") }
        } else {
            out += "0"
        }
        let decimals = max(digits.count - decimalPoint, 0)
        if decimals > 0 {
            out += "."
            for i in 0..<decimals {
                let k = decimalPoint + i
                out.append(k >= 0 && k < digits.count ? Character(Unicode.Scalar(digits[k])) : "0")
            }
        }
        return out
    }

    /// `%e` with the shortest digits and at least two exponent digits: "1e+21", "1.5e-07".
    var exponential: String {
        var out = sign
        out.append(isZero ? "0" : Character(Unicode.Scalar(digits[0])))
        if digits.count > 1 {
            out += "." + String(decoding: digits[1...], as: UTF8.self)
        }
        let exp = isZero ? 0 : decimalPoint - 1
        out += exp < 0 ? "e-" : "e+"
        let magnitude = String(abs(exp))
        out += magnitude.count < 2 ? "0" + magnitude : magnitude
        return out
    }

    /// What `fmt.Sprint` (`%v`) prints: Go's shortest `%g`, exponential when the decimal exponent
    /// is below -4 or at least 6 ("1e-05", "1e+06"), fixed otherwise ("0.7", "8192").
    public var general: String {
        let exp = decimalPoint - 1
        return !isZero && (exp < -4 || exp >= 6) ? exponential : fixed
    }

    /// What `encoding/json` writes: fixed notation between 1e-6 and 1e21, otherwise exponential
    /// with a one-digit negative exponent unpadded ("1e-7", "1e+21").
    func json(magnitudeBelow1e6: Bool, atLeast1e21: Bool) -> String {
        guard !isZero, magnitudeBelow1e6 || atLeast1e21 else { return fixed }
        var s = exponential
        let u = Array(s.utf8)
        let n = u.count
        if n >= 4, u[n - 4] == UInt8(ascii: "e"), u[n - 3] == UInt8(ascii: "-"), u[n - 2] == UInt8(ascii: "0") {
            s = String(decoding: u[0..<(n - 2)] + [u[n - 1]], as: UTF8.self)
        }
        return s
    }

    public static func json(_ value: Float) -> String {
        GoFloatFormat(value).json(magnitudeBelow1e6: abs(value) < Float(1e-6), atLeast1e21: abs(value) >= Float(1e21))
    }

    public static func json(_ value: Double) -> String {
        GoFloatFormat(value).json(magnitudeBelow1e6: abs(value) < 1e-6, atLeast1e21: abs(value) >= 1e21)
    }
}
