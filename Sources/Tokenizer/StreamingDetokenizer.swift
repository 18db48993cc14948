/// Turns generated ids into text as they arrive, never cutting a UTF-8 character in two.
///
/// A token may end in the middle of a character (byte-level BPE splits emoji and CJK across tokens,
/// SentencePiece spells rare characters with `<0xNN>` tokens); those bytes are held back until the
/// character is complete. Bytes that can never become a valid character come out as U+FFFD.
/// Pieces are joined as they are, with no space cleaning, as llama.cpp's server streams them.
public struct StreamingDetokenizer: Sendable {
    private let tokenizer: Tokenizer
    private let rendersSpecialTokens: Bool
    private var pending: [UInt8] = []

    /// - Parameter rendersSpecialTokens: show control tokens (`<|im_end|>`, …) as their text; when
    ///   false they produce no text. User-defined tokens (`<think>`) are always shown.
    public init(tokenizer: Tokenizer, rendersSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.rendersSpecialTokens = rendersSpecialTokens
    }

    /// The text that `id` completes: possibly empty, possibly including characters held back before.
    public mutating func append(_ id: TokenID) -> String {
        pending.append(contentsOf: tokenizer.piece(id, special: rendersSpecialTokens))
        let complete = Self.completePrefixLength(pending)
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Whatever is still held back, as text (an unfinished character becomes U+FFFD), and a fresh start.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// How many leading bytes can be emitted now: all of them unless the buffer ends with the start of a
    /// character that more bytes could still complete.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        // A character is at most 4 bytes, so only a lead byte among the last 3 can be unfinished.
        var start = n - 1
        while start >= max(0, n - 3) {
            let b = bytes[start]
            if b & 0xC0 != 0x80 {
                let needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                if needed > n - start && isValidPrefix(bytes[start...]) { return start }
                return n
            }
            start -= 1
        }
        return n
    }

    /// Whether `bytes` (shorter than its lead byte asks for) can still grow into a valid character.
    private static func isValidPrefix(_ bytes: ArraySlice<UInt8>) -> Bool {
        let lead = bytes[bytes.startIndex]
        guard (0xC2...0xF4).contains(lead) else { return false }
        for (k, b) in bytes.dropFirst().enumerated() {
            var range: ClosedRange<UInt8> = 0x80...0xBF
            if k == 0 {
                switch lead {
                case 0xE0: range = 0xA0...0xBF  // no overlong forms
                case 0xED: range = 0x80...0x9F  // no surrogates
                case 0xF0: range = 0x90...0xBF
                case 0xF4: range = 0x80...0x8F  // nothing past U+10FFFF
                default: break
                }
            }
            if !range.contains(b) { return false }
        }
        return true
    }
}
