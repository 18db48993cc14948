/// GPT-2's byte-level alphabet: every byte is shown as a printable character, so byte-level BPE
/// vocabularies store bytes as text. Printable Latin-1 bytes stand for themselves; the other 68 bytes
/// (controls, space, DEL, NBSP, soft hyphen) take U+0100 onwards, in byte order.
enum ByteLevel {
    /// The code point that stands for each byte.
    static let codepointForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if standsForItself(UInt8(byte)) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte each code point below U+0144 stands for, or -1.
    static let byteForCodepoint: [Int16] = {
        var table = [Int16](repeating: -1, count: 256 + 68)
        for (byte, codepoint) in codepointForByte.enumerated() { table[Int(codepoint)] = Int16(byte) }
        return table
    }()

    /// The UTF-8 bytes of the character that stands for each byte (one or two bytes).
    static let utf8ForByte: [[UInt8]] = codepointForByte.map { codepoint in
        var out: [UInt8] = []
        LenientUTF8.encode(codepoint, into: &out)
        return out
    }

    private static func standsForItself(_ b: UInt8) -> Bool {
        (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
    }
}
