import TestSupport

/// Seeded random text built from the character classes tokenizers treat differently: words,
/// numbers, whitespace runs, punctuation, CJK, kana, Hangul, emoji with ZWJ sequences and
/// modifiers, combining marks, other scripts, control characters, any scalar at all, and given
/// special-token texts.
struct RandomText {
    private var rng: SeededRandom
    private let specials: [String]

    init(seed: UInt64, specials: [String] = []) {
        rng = SeededRandom(seed: seed)
        self.specials = specials
    }

    private mutating func scalar(_ range: ClosedRange<UInt32>) -> String {
        while true {
            if let s = Unicode.Scalar(UInt32.random(in: range, using: &rng)) { return String(Character(s)) }
        }
    }

    private mutating func run(_ range: ClosedRange<UInt32>, _ count: ClosedRange<Int>) -> String {
        (0..<Int.random(in: count, using: &rng)).map { _ in scalar(range) }.joined()
    }

    private mutating func part() -> String {
        switch Int.random(in: 0..<17, using: &rng) {
        case 0: return ["the", "Quick", "BROWN", "fox", "I'm", "it's", "they'RE", "naïve", "token"].randomElement(using: &rng)!
        case 1: return String(UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...60, using: &rng))
        case 2:
            let ws = [" ", "\t", "\n", "\r\n", "\u{A0}", "\u{3000}", "\u{2028}", "\u{85}", "\u{0B}"].randomElement(using: &rng)!
            return String(repeating: ws, count: Int.random(in: 1...(Bool.random(using: &rng) ? 3 : 120), using: &rng))
        case 3: return run(0x21...0x2F, 1...4) + run(0x3A...0x40, 0...2)
        case 4: return run(0x4E00...0x9FFF, 1...8)
        case 5: return run(0x3040...0x30FF, 1...6)
        case 6: return run(0xAC00...0xD7A3, 1...4)
        case 7:
            let base = scalar(0x1F300...0x1FAFF)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return base + "\u{200D}" + scalar(0x1F466...0x1F469) + "\u{200D}" + scalar(0x1F466...0x1F469)
            case 1: return base + scalar(0x1F3FB...0x1F3FF)
            case 2: return base + "\u{FE0F}"
            default: return scalar(0x1F1E6...0x1F1FF) + scalar(0x1F1E6...0x1F1FF)
            }
        case 8: return scalar(0x61...0x7A) + run(0x300...0x36F, 1...4)
        case 9: return run(0x900...0x97F, 1...6)
        case 10: return run(0x600...0x6FF, 1...6)
        case 11: return run(0x0...0x1F, 1...3)
        case 12: return run(0x7F...0x9F, 1...2)
        case 13: return scalar(0x80...0x10FFFF)
        case 14: return specials.randomElement(using: &rng) ?? ""
        case 15: return run(0xFF01...0xFF5E, 1...4)
        default: return run(0x2190...0x23FF, 1...3)
        }
    }

    /// A text of one to `maxParts` parts.
    mutating func next(maxParts: Int = 24) -> String {
        (0..<Int.random(in: 1...maxParts, using: &rng)).map { _ in part() }.joined()
    }

    /// Random bytes, valid UTF-8 or not, biased towards the bytes that matter to tokenizers.
    mutating func nextBytes(maxLength: Int = 300) -> [UInt8] {
        var bytes: [UInt8] = []
        let length = Int.random(in: 0...maxLength, using: &rng)
        while bytes.count < length {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: bytes.append(UInt8.random(in: 0...0x7F, using: &rng))
            case 1: bytes.append(UInt8.random(in: 0x80...0xFF, using: &rng))
            case 2: bytes += Array(scalar(0x80...0x10FFFF).utf8)
            case 3: bytes += [0x20, 0x0A, 0x3C, 0x7C, 0x27].randomElement(using: &rng).map { [$0] }!
            case 4: bytes += Array((specials.randomElement(using: &rng) ?? "").utf8)
            default: bytes += Array(part().utf8)
            }
        }
        return bytes
    }
}
