/// UTF-8 decoding and encoding with llama.cpp's tolerance, so malformed input yields the same code
/// points, and so the same ids, as there.
///
/// A lead byte with the right number of continuation bytes decodes even when the sequence is overlong
/// or a surrogate; anything else becomes U+FFFD and consumes one byte. One deliberate difference:
/// sequences decoding past U+10FFFF also become U+FFFD (llama.cpp throws on them when re-encoding).
enum LenientUTF8 {
    static let replacement: UInt32 = 0xFFFD

    /// Decodes the code point at `i` and returns it with the number of bytes it used.
    @inline(__always)
    static func decode(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        let n = p.count
        @inline(__always) func continuation(_ j: Int) -> UInt32? {
            let b = p[j]
            return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
        }
        switch b0 {
        case 0xC0...0xDF:
            if i + 1 < n, let c1 = continuation(i + 1) { return ((b0 & 0x1F) << 6 | c1, 2) }
        case 0xE0...0xEF:
            if i + 2 < n, let c1 = continuation(i + 1), let c2 = continuation(i + 2) {
                return ((b0 & 0x0F) << 12 | c1 << 6 | c2, 3)
            }
        case 0xF0...0xF7:
            if i + 3 < n, let c1 = continuation(i + 1), let c2 = continuation(i + 2), let c3 = continuation(i + 3) {
                let value = (b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
                if value <= 0x10FFFF { return (value, 4) }
            }
        default: break
        }
        return (replacement, 1)
    }

    /// How many bytes `codepoint` takes when encoded.
    @inline(__always)
    static func encodedLength(_ codepoint: UInt32) -> Int {
        codepoint < 0x80 ? 1 : codepoint < 0x800 ? 2 : codepoint < 0x10000 ? 3 : 4
    }

    /// Appends the encoding of `codepoint` (at most U+10FFFF; surrogates are encoded as they are).
    @inline(__always)
    static func encode(_ codepoint: UInt32, into out: inout [UInt8]) {
        switch codepoint {
        case 0..<0x80:
            out.append(UInt8(codepoint))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | codepoint >> 6))
            out.append(UInt8(0x80 | codepoint & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | codepoint >> 12))
            out.append(UInt8(0x80 | (codepoint >> 6) & 0x3F))
            out.append(UInt8(0x80 | codepoint & 0x3F))
        default:
            out.append(UInt8(0xF0 | codepoint >> 18))
            out.append(UInt8(0x80 | (codepoint >> 12) & 0x3F))
            out.append(UInt8(0x80 | (codepoint >> 6) & 0x3F))
            out.append(UInt8(0x80 | codepoint & 0x3F))
        }
    }

    /// The length llama.cpp's SentencePiece tokenizer gives a character from its first byte alone,
    /// without looking at the bytes that follow.
    @inline(__always)
    static func lengthFromLeadByte(_ b: UInt8) -> Int {
        switch b >> 4 {
        case 0xC, 0xD: 2
        case 0xE: 3
        case 0xF: 4
        default: 1
        }
    }
}
