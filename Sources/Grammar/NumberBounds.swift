import JSON

/// Turns `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum` into inclusive bounds in units of
/// 10⁻¹⁶, rounding inward so that any number inside them also passes a validator's double
/// comparison: rounding to double is monotonic, and an exclusive bound moves to the next double.
enum NumberBounds {
    /// Beyond any value the recognizer can write (16 integer digits).
    static let beyondReach: Int128 = NumberScanner.power(33)

    static func rule(for schema: JSONObject, isInteger: Bool, path: String) throws(GrammarError) -> NumberRule {
        var lower: Int128?
        var upper: Int128?
        func number(_ key: String) throws(GrammarError) -> Double? {
            guard let value = schema[key] else { return nil }
            guard let d = value.doubleValue, d.isFinite else { throw .invalidSchema("'\(key)' must be a number", path: path) }
            return d
        }
        // Draft 4 spells exclusivity as a boolean beside minimum/maximum.
        let legacyExclusiveMin = schema["exclusiveMinimum"]?.boolValue ?? false
        let legacyExclusiveMax = schema["exclusiveMaximum"]?.boolValue ?? false
        if let m = try number("minimum") { lower = Self.lower(m, exclusive: legacyExclusiveMin, isInteger: isInteger) }
        if schema["exclusiveMinimum"]?.boolValue == nil, let m = try number("exclusiveMinimum") {
            lower = max(lower ?? -beyondReach, Self.lower(m, exclusive: true, isInteger: isInteger))
        }
        if let m = try number("maximum") { upper = Self.upper(m, exclusive: legacyExclusiveMax, isInteger: isInteger) }
        if schema["exclusiveMaximum"]?.boolValue == nil, let m = try number("exclusiveMaximum") {
            upper = min(upper ?? beyondReach, Self.upper(m, exclusive: true, isInteger: isInteger))
        }
        guard lower != nil || upper != nil else { return NumberRule(isInteger: isInteger, bounds: nil) }
        let low = lower ?? -beyondReach
        let high = upper ?? beyondReach
        let reach = NumberScanner.power(32)
        guard low <= high, low < reach, high > -reach else {
            throw .invalidSchema("no \(isInteger ? "integer" : "number") of at most 16 digits lies within the bounds", path: path)
        }
        return NumberRule(isInteger: isInteger, bounds: low...high)
    }

    private static func lower(_ bound: Double, exclusive: Bool, isInteger: Bool) -> Int128 {
        if isInteger { return wholeUnits(exclusive ? bound.rounded(.down) + 1 : bound.rounded(.up)) }
        return units(exclusive ? bound.nextUp : bound, roundingUp: true)
    }

    private static func upper(_ bound: Double, exclusive: Bool, isInteger: Bool) -> Int128 {
        if isInteger { return wholeUnits(exclusive ? bound.rounded(.up) - 1 : bound.rounded(.down)) }
        return units(exclusive ? bound.nextDown : bound, roundingUp: false)
    }

    private static func wholeUnits(_ whole: Double) -> Int128 {
        let clamped = min(max(whole, -1e18), 1e18)
        return Int128(clamped) * NumberScanner.scale
    }

    /// `value`'s shortest decimal spelling in units of 10⁻¹⁶, rounded up or down to a whole unit.
    private static func units(_ value: Double, roundingUp: Bool) -> Int128 {
        var text = Substring(value.magnitude.description)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        var digits: Int128 = 0
        var seenDot = false
        for c in text {
            if c == "." { seenDot = true; continue }
            guard let d = c.wholeNumberValue else { continue }
            if digits < NumberScanner.power(30) {
                digits = digits * 10 + Int128(d)
                if seenDot { exponent -= 1 }
            } else if !seenDot {
                exponent += 1
            }
        }
        let shift = exponent + NumberScanner.maxDigits
        var magnitude: Int128
        var inexact = false
        if shift >= 0 {
            let (scaled, overflow) = digits.multipliedReportingOverflow(by: NumberScanner.power(min(shift, 38)))
            magnitude = overflow || shift > 38 ? beyondReach : min(scaled, beyondReach)
        } else if -shift > 36 {
            magnitude = 0
            inexact = digits != 0
        } else {
            let divisor = NumberScanner.power(-shift)
            magnitude = digits / divisor
            inexact = digits % divisor != 0
        }
        // Round the signed value toward the inside of the range.
        let negative = value < 0
        if inexact && (roundingUp != negative) { magnitude += 1 }
        return negative ? -magnitude : magnitude
    }
}
