/// SentencePiece as llama.cpp runs it: the text (spaces already turned into `▁`) starts as one symbol
/// per character, and the adjacent pair whose concatenation is the token with the highest score
/// (leftmost on ties) merges until no pair forms a token. A symbol left that is not a token is spelled
/// with byte tokens (`<0xNN>`).
struct SentencePieceEncoder: Sendable {
    /// The token for each byte: `<0xNN>`, else the byte as a one-character token, else the unknown token.
    private let byteTokens: [TokenID?]

    init(vocabulary: Vocabulary) {
        let hex = Array("0123456789ABCDEF".utf8)
        byteTokens = (0..<256).map { b in
            let name: [UInt8] = Array("<0x".utf8) + [hex[b >> 4], hex[b & 15], UInt8(ascii: ">")]
            return vocabulary.idsByText.value(name) ?? vocabulary.idsByText.value([UInt8(b)]) ?? vocabulary.specialTokens.unknown
        }
    }

    /// The bytes of `▁` (U+2581), which stands for a space.
    static let escapedSpace: [UInt8] = [0xE2, 0x96, 0x81]

    /// Appends the ids of `text` (already escaped) to `output`.
    func encode(_ text: UnsafeBufferPointer<UInt8>, vocabulary: Vocabulary, into output: inout [TokenID]) {
        guard let base = text.baseAddress, !text.isEmpty else { return }
        var symbols: [Symbol] = []
        symbols.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            // llama.cpp takes a character's length from its first byte and does not check the rest.
            let length = min(LenientUTF8.lengthFromLeadByte(text[i]), text.count - i)
            symbols.append(Symbol(start: Int32(i), length: Int32(length), previous: Int32(symbols.count) - 1,
                                  next: i + length < text.count ? Int32(symbols.count) + 1 : -1))
            i += length
        }

        var queue = MinHeap<Pair>()
        func addPair(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let start = Int(symbols[Int(left)].start)
            let size = Int(symbols[Int(left)].length + symbols[Int(right)].length)
            guard let id = vocabulary.idsByText.value(base + start, size) else { return }
            queue.push(Pair(score: vocabulary.scores[Int(id)], left: left, right: right, size: Int32(size)))
        }
        for i in 1..<symbols.count { addPair(Int32(i) - 1, Int32(i)) }

        while !queue.isEmpty {
            let pair = queue.pop()
            let left = symbols[Int(pair.left)], right = symbols[Int(pair.right)]
            // Stale once either side has merged elsewhere (the sizes no longer add up).
            if left.length == 0 || right.length == 0 || left.length + right.length != pair.size { continue }
            symbols[Int(pair.left)].length += right.length
            symbols[Int(pair.left)].next = right.next
            symbols[Int(pair.right)].length = 0
            if right.next >= 0 { symbols[Int(right.next)].previous = pair.left }
            addPair(left.previous, pair.left)
            addPair(pair.left, right.next)
        }

        var s: Int32 = 0
        while s >= 0 {
            let symbol = symbols[Int(s)]
            if let id = vocabulary.idsByText.value(base + Int(symbol.start), Int(symbol.length)) {
                output.append(id)
            } else {
                for j in symbol.start ..< symbol.start + symbol.length {
                    if let id = byteTokens[Int(text[Int(j)])] { output.append(id) }
                }
            }
            s = symbol.next
        }
    }

    private struct Symbol {
        var start: Int32
        var length: Int32
        var previous: Int32
        var next: Int32
    }

    /// Ordered so the heap's minimum is the highest score, then the leftmost pair.
    private struct Pair: Comparable {
        var score: Float
        var left: Int32
        var right: Int32
        var size: Int32

        static func < (a: Pair, b: Pair) -> Bool { a.score != b.score ? a.score > b.score : a.left < b.left }
        static func == (a: Pair, b: Pair) -> Bool { a.score == b.score && a.left == b.left }
    }
}
