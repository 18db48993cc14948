/// Reads one JSON string a byte at a time: the quotes, escapes, and UTF-8 checked as it arrives, so a
/// string the recognizer accepts is valid JSON text whatever token boundaries split it. Control
/// characters and DEL are refused (as llama.cpp's grammar does), and so are `\u` escapes of
/// surrogates: the length is then the code-point count a validator sees, and no lone surrogate slips in.
struct StringScanner: Sendable, Equatable {
    enum Step { case rejected, consumed, closed }

    private enum Phase: UInt8 { case opening, content, escape, unicodeEscape }

    private var phase = Phase.opening
    /// Continuation bytes the current UTF-8 character still needs, and the range of the next one.
    private var continuations: UInt8 = 0
    private var nextLow: UInt8 = 0x80
    private var nextHigh: UInt8 = 0xBF
    private var hexDigits: UInt8 = 0
    private var escapeStartsWithD = false
    /// Code points so far (an escape counts as one).
    private(set) var length: Int32 = 0

    /// Whether a quote now would end the string (rather than sit inside an escape or a character).
    var closesOnQuote: Bool { phase == .content && continuations == 0 }

    /// Inside the string, not within an escape or a multi-byte character.
    var isBetweenCharacters: Bool { closesOnQuote }

    /// - Parameters:
    ///   - canonical: admit only the escapes a serializer writes for an object key (`\"`, `\\`,
    ///     `\b\f\n\r\t`), so two different spellings never decode to the same key.
    mutating func feed(_ byte: UInt8, rule: StringRule, canonical: Bool) -> Step {
        switch phase {
        case .opening:
            guard byte == UInt8(ascii: "\"") else { return .rejected }
            phase = .content
            return .consumed
        case .content:
            if continuations > 0 {
                guard byte >= nextLow && byte <= nextHigh else { return .rejected }
                continuations -= 1
                nextLow = 0x80
                nextHigh = 0xBF
                return .consumed
            }
            if byte == UInt8(ascii: "\"") { return length >= rule.minLength ? .closed : .rejected }
            guard Int(length) < rule.maxLength, startCharacter(byte) else { return .rejected }
            length += 1
            return .consumed
        case .escape:
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                phase = .content
            case UInt8(ascii: "/") where !canonical:
                phase = .content
            case UInt8(ascii: "u") where !canonical:
                phase = .unicodeEscape
                hexDigits = 0
            default:
                return .rejected
            }
            return .consumed
        case .unicodeEscape:
            guard let digit = Self.hexValue(byte) else { return .rejected }
            // U+D800…U+DFFF: a first digit D followed by 8…F.
            if hexDigits == 0 { escapeStartsWithD = digit == 0xD }
            if hexDigits == 1 && escapeStartsWithD && digit >= 8 { return .rejected }
            hexDigits += 1
            if hexDigits == 4 { phase = .content }
            return .consumed
        }
    }

    /// Whether `byte` can begin a character inside a string; sets up the continuation bytes it needs.
    private mutating func startCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"): phase = .escape
        case 0x20..<0x7F: break
        case 0xC2...0xDF: expect(1, 0x80, 0xBF)
        case 0xE0: expect(2, 0xA0, 0xBF)
        case 0xED: expect(2, 0x80, 0x9F)
        case 0xE1...0xEF: expect(2, 0x80, 0xBF)
        case 0xF0: expect(3, 0x90, 0xBF)
        case 0xF1...0xF3: expect(3, 0x80, 0xBF)
        case 0xF4: expect(3, 0x80, 0x8F)
        default: return false  // controls, DEL, stray continuations, overlong or out-of-range leads
        }
        return true
    }

    private mutating func expect(_ count: UInt8, _ low: UInt8, _ high: UInt8) {
        continuations = count
        nextLow = low
        nextHigh = high
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
