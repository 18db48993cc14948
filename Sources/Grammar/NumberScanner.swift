/// Reads one JSON number a byte at a time, with llama.cpp's digit limits: at most 16 integer and 16
/// fraction digits, and (our choice) at most 2 exponent digits, so every accepted number parses to a
/// finite double. A bounded number is tracked exactly: a prefix is accepted only while some ending
/// of it lies within the bounds, so constrained generation can never paint itself into a corner.
struct NumberScanner: Sendable, Equatable {
    static let maxDigits = 16
    static let maxExponentDigits = 2
    /// 10¹⁶: bounded values are counted in units of 10⁻¹⁶.
    static let scale: Int128 = 10_000_000_000_000_000

    private enum Phase: UInt8 { case start, minus, integer, dot, fraction, exponentMark, exponentSign, exponent }

    private var phase = Phase.start
    private var negative = false
    private var integerDigits: Int8 = 0
    private var fractionDigits: Int8 = 0
    private var exponentDigits: Int8 = 0
    private var integerValue: UInt64 = 0
    private var fractionValue: UInt64 = 0

    /// Takes `byte` as the next character of the number, or refuses it (leaving the scanner as it was).
    mutating func feed(_ byte: UInt8, rule: NumberRule) -> Bool {
        var next = self
        guard next.advance(byte, rule: rule) else { return false }
        if let bounds = rule.bounds, !next.canEnd(within: bounds, isInteger: rule.isInteger) { return false }
        self = next
        return true
    }

    /// Whether the number read so far is complete and, when bounded, within the bounds.
    func isAccepting(rule: NumberRule) -> Bool {
        switch phase {
        case .integer, .fraction, .exponent:
            guard let bounds = rule.bounds else { return true }
            return bounds.contains(signedValue)
        default:
            return false
        }
    }

    private mutating func advance(_ byte: UInt8, rule: NumberRule) -> Bool {
        let digit = byte &- UInt8(ascii: "0")
        let isDigit = digit < 10
        switch phase {
        case .start where byte == UInt8(ascii: "-"):
            negative = true
            phase = .minus
        case .start where isDigit, .minus where isDigit:
            appendIntegerDigit(digit)
            phase = .integer
        case .integer where isDigit:
            // A leading zero stands alone.
            guard integerValue != 0, Int(integerDigits) < Self.maxDigits else { return false }
            appendIntegerDigit(digit)
        case .integer where byte == UInt8(ascii: ".") && !rule.isInteger:
            phase = .dot
        case .integer where (byte | 0x20) == UInt8(ascii: "e") && !rule.isInteger && rule.bounds == nil,
             .fraction where (byte | 0x20) == UInt8(ascii: "e") && rule.bounds == nil:
            phase = .exponentMark
        case .dot where isDigit, .fraction where isDigit:
            guard Int(fractionDigits) < Self.maxDigits else { return false }
            fractionValue = fractionValue * 10 + UInt64(digit)
            fractionDigits += 1
            phase = .fraction
        case .exponentMark where byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"):
            phase = .exponentSign
        case .exponentMark where isDigit, .exponentSign where isDigit, .exponent where isDigit:
            guard Int(exponentDigits) < Self.maxExponentDigits else { return false }
            exponentDigits += 1
            phase = .exponent
        default:
            return false
        }
        return true
    }

    private mutating func appendIntegerDigit(_ digit: UInt8) {
        integerValue = integerValue * 10 + UInt64(digit)
        integerDigits += 1
    }

    /// The value read so far in units of 10⁻¹⁶ (bounded numbers have no exponent).
    private var signedValue: Int128 {
        let magnitude = Int128(integerValue) * Self.scale + Int128(fractionValue) * Self.power(Self.maxDigits - Int(fractionDigits))
        return negative ? -magnitude : magnitude
    }

    /// Whether some way of finishing the number lands within `bounds`: the endings of a prefix form
    /// a few intervals of magnitudes (one per count of integer digits still to come).
    private func canEnd(within bounds: ClosedRange<Int128>, isInteger: Bool) -> Bool {
        func overlaps(_ low: Int128, _ high: Int128) -> Bool {
            let (a, b) = negative ? (-high, -low) : (low, high)
            return a <= bounds.upperBound && b >= bounds.lowerBound
        }
        let largestInteger = Self.power(Self.maxDigits) - 1
        switch phase {
        case .minus:
            return overlaps(0, isInteger ? largestInteger * Self.scale : (largestInteger + 1) * Self.scale - 1)
        case .integer:
            if integerValue == 0 { return overlaps(0, isInteger ? 0 : Self.scale - 1) }
            for more in 0...(Self.maxDigits - Int(integerDigits)) {
                let step = Self.power(more)
                let low = Int128(integerValue) * step
                let high = isInteger ? (low + step - 1) * Self.scale : (low + step) * Self.scale - 1
                if overlaps(low * Self.scale, high) { return true }
            }
            return false
        case .dot, .fraction:
            let unit = Self.power(Self.maxDigits - Int(fractionDigits))
            let low = Int128(integerValue) * Self.scale + Int128(fractionValue) * unit
            return overlaps(low, low + unit - 1)
        default:
            return true
        }
    }

    static func power(_ exponent: Int) -> Int128 {
        var p: Int128 = 1
        for _ in 0..<exponent { p *= 10 }
        return p
    }
}
