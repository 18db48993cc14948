/// A fragment of text as llama.cpp's pre-tokenizers see it: code points with their flags, and the
/// UTF-8 that BPE merges over, which is the input re-encoded from those code points (so a malformed
/// byte becomes the three bytes of U+FFFD, and an overlong form its shortest form).
struct DecodedText {
    private var codepoints: [UInt32] = []
    private var flags: [CodepointFlags] = []
    /// Where each code point starts in the UTF-8, plus the end.
    private var offsets: [Int32] = [0]
    /// The re-encoded bytes; nil when they equal the input, which is then used as it is.
    private var reencoded: [UInt8]?
    private let input: UnsafeBufferPointer<UInt8>

    init(_ input: UnsafeBufferPointer<UInt8>) {
        self.input = input
        codepoints.reserveCapacity(input.count)
        flags.reserveCapacity(input.count)
        offsets.reserveCapacity(input.count + 1)
        var i = 0, offset: Int32 = 0
        var irregular = false
        while i < input.count {
            let (codepoint, used): (UInt32, Int) = input[i] < 0x80 ? (UInt32(input[i]), 1) : LenientUTF8.decode(input, at: i)
            let length = LenientUTF8.encodedLength(codepoint)
            if length != used { irregular = true }
            codepoints.append(codepoint)
            flags.append(CodepointFlags.of(codepoint))
            offset += Int32(length)
            offsets.append(offset)
            i += used
        }
        if irregular {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(offset))
            for c in codepoints { LenientUTF8.encode(c, into: &bytes) }
            reencoded = bytes
        }
    }

    /// The UTF-8 offset of code point `i` (`i` may be the count).
    @inline(__always)
    func offset(_ i: Int) -> Int { Int(offsets[i]) }

    func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let reencoded { return reencoded.withUnsafeBufferPointer(body) }
        return body(input)
    }

    func withCodepointText<R>(_ body: (CodepointText) -> R) -> R {
        codepoints.withUnsafeBufferPointer { c in
            flags.withUnsafeBufferPointer { f in body(CodepointText(codepoints: c, flags: f)) }
        }
    }
}
