/// The whitespace allowed in one gap between tokens, llama.cpp's `space` rule: nothing, one space, or
/// one or two newlines followed by at most 20 spaces or tabs. Bounding it is what stops the classic
/// constrained-output failure, a model that emits whitespace until it runs out of tokens.
struct Whitespace: Sendable, Equatable {
    /// 0: nothing yet; 1: one space (the gap is full); 2, 3: one or two newlines; 4 + n: n indent bytes.
    private var state: UInt8 = 0
    static let maxIndent: UInt8 = 20

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Whether any whitespace has been read in this gap.
    var hasBegun: Bool { state != 0 }

    mutating func reset() { state = 0 }

    /// Takes one whitespace byte of the gap, or refuses it.
    mutating func feed(_ byte: UInt8) -> Bool {
        switch (state, byte) {
        case (0, 0x20): state = 1
        case (0, 0x0A): state = 2
        case (2, 0x0A): state = 3
        case (2, 0x20), (2, 0x09), (3, 0x20), (3, 0x09): state = 5
        case (5..., 0x20), (5..., 0x09):
            guard state - 4 < Self.maxIndent else { return false }
            state += 1
        default: return false
        }
        return true
    }
}
