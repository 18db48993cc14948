extension Tokenizer {
    /// The bytes a token stands for (llama.cpp's `token_to_piece`): byte-level BPE characters mapped back
    /// to bytes, `▁` turned back into a space, `<0xNN>` into its byte. Control and unknown tokens give
    /// their text when `special` is true and nothing otherwise; user-defined tokens always give their text.
    /// A piece may be part of a UTF-8 character.
    public func piece(_ id: TokenID, special: Bool = true) -> [UInt8] {
        guard vocabulary.contains(id) else { return [] }
        let attributes = vocabulary.attributes[Int(id)]
        let text = vocabulary.text(of: id)
        if !attributes.isDisjoint(with: .special) && !special { return [] }
        if !attributes.isDisjoint(with: [.control, .unknown, .userDefined]) { return Array(text) }
        if attributes.contains(.normal) {
            switch vocabulary.model {
            case .bytePairEncoding: return Self.byteLevelBytes(of: text)
            case .sentencePiece: return Self.unescapingSpaces(text)
            }
        }
        if attributes.contains(.byte) { return [Self.byteValue(ofByteToken: text)] }
        return []  // unused and undefined tokens stand for nothing
    }

    /// The bytes of `ids` (llama.cpp's `detokenize`).
    ///
    /// - Parameters:
    ///   - removeSpecial: drop a leading BOS and a trailing EOS where the vocabulary adds them.
    ///   - unparseSpecial: render control tokens as their text (otherwise they vanish).
    public func decode(_ ids: [TokenID], removeSpecial: Bool = false, unparseSpecial: Bool = true) -> [UInt8] {
        var ids = ids[...]
        // The space SentencePiece prefixed is dropped from the first token, unless a BOS was removed.
        var dropLeadingSpace = vocabulary.addsSpacePrefix
        if removeSpecial && vocabulary.addsBOS, let first = ids.first, first == vocabulary.specialTokens.bos {
            dropLeadingSpace = false
            ids = ids.dropFirst()
        }
        if removeSpecial && vocabulary.addsEOS, let last = ids.last, last == vocabulary.specialTokens.eos {
            ids = ids.dropLast()
        }
        var text: [UInt8] = []
        for id in ids {
            let piece = piece(id, special: unparseSpecial)
            if dropLeadingSpace && piece.first == 0x20 {
                text.append(contentsOf: piece.dropFirst())
            } else {
                text.append(contentsOf: piece)
            }
            dropLeadingSpace = false
        }
        if vocabulary.cleansSpaces { Self.cleanSpaces(&text) }
        return text
    }

    /// `decode` as a string; bytes that are not valid UTF-8 become U+FFFD.
    public func decodeText(_ ids: [TokenID], removeSpecial: Bool = false, unparseSpecial: Bool = true) -> String {
        String(decoding: decode(ids, removeSpecial: removeSpecial, unparseSpecial: unparseSpecial), as: UTF8.self)
    }

    /// Byte-level characters back to bytes. A character outside the alphabet is written out the way
    /// llama.cpp writes it: `[UNK_BYTE_0x` + its UTF-8 in hex + the whole token text + `]`.
    static func byteLevelBytes(of text: ArraySlice<UInt8>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        text.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                let (codepoint, used) = LenientUTF8.decode(p, at: i)
                i += used
                if codepoint < ByteLevel.byteForCodepoint.count, ByteLevel.byteForCodepoint[Int(codepoint)] >= 0 {
                    bytes.append(UInt8(ByteLevel.byteForCodepoint[Int(codepoint)]))
                    continue
                }
                var utf8: [UInt8] = []
                LenientUTF8.encode(codepoint, into: &utf8)
                bytes.append(contentsOf: "[UNK_BYTE_0x".utf8)
                for b in utf8 { bytes.append(contentsOf: Self.hex(b)) }
                bytes.append(contentsOf: p)
                bytes.append(UInt8(ascii: "]"))
            }
        }
        return bytes
    }

    private static func hex(_ b: UInt8) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return [digits[Int(b >> 4)], digits[Int(b & 15)]]
    }

    /// `▁` back to a space.
    static func unescapingSpaces(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == 0xE2 && i + 2 < text.endIndex && text[i + 1] == 0x96 && text[i + 2] == 0x81 {
                out.append(0x20)
                i += 3
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }

    /// The value of a `<0xNN>` token: the hex digits from the fourth character on, as `strtol` reads them.
    static func byteValue(ofByteToken text: ArraySlice<UInt8>) -> UInt8 {
        var value: UInt8 = 0
        for c in text.dropFirst(3).prefix(2) {
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: return value
            }
            value = value << 4 | digit
        }
        return value
    }

    /// llama.cpp's `clean_spaces`, three passes in place: drop the space before `?!.,`; drop the spaces
    /// around a lone `'`; drop the space before `'s`, `'m`, `'re` and `'ve`.
    static func cleanSpaces(_ text: inout [UInt8]) {
        let space = UInt8(ascii: " "), apostrophe = UInt8(ascii: "'")
        guard !text.isEmpty else { return }
        var total = 1
        for i in 1..<text.count {
            let x = text[i]
            if text[i - 1] == space && (x == UInt8(ascii: "?") || x == UInt8(ascii: "!") || x == UInt8(ascii: ".") || x == UInt8(ascii: ",")) {
                total -= 1
            }
            text[total] = x
            total += 1
        }
        text.removeLast(text.count - total)

        guard !text.isEmpty else { return }
        total = 1
        var i = 1
        while i < text.count {
            let x = text[i]
            if x == apostrophe && i + 1 < text.count && text[i - 1] == space && text[i + 1] == space {
                total -= 1
                i += 1
                text[i] = 0  // the following space is skipped and no longer reads as a space
            }
            text[total] = x
            total += 1
            i += 1
        }
        text.removeLast(text.count - total)

        guard !text.isEmpty else { return }
        total = 1
        for i in 1..<text.count {
            let x = text[i]
            if text[i - 1] == space && x == apostrophe && i + 1 < text.count {
                let x1 = text[i + 1]
                if x1 == UInt8(ascii: "s") || x1 == UInt8(ascii: "m") {
                    total -= 1
                } else if i + 2 < text.count {
                    let x2 = text[i + 2]
                    if (x1 == UInt8(ascii: "r") || x1 == UInt8(ascii: "v")) && x2 == UInt8(ascii: "e") { total -= 1 }
                }
            }
            text[total] = x
            total += 1
        }
        text.removeLast(text.count - total)
    }
}
