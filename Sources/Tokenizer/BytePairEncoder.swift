/// Byte-level BPE as llama.cpp runs it: each pre-tokenized word starts as one symbol per byte, and the
/// adjacent pair with the lowest merge rank (leftmost on ties) merges until no pair has a rank.
///
/// Strings are interned once: every token text, merge part and merge result gets a symbol id (a
/// token's symbol id is its token id), so a merge is a lookup of two ids rather than of two strings.
struct BytePairEncoder: Sendable {
    let preTokenizer: PreTokenizer
    private let tokenCount: Int32
    /// Token texts, merge parts and merge results → symbol id.
    private let symbols: ByteStringTable
    /// (left symbol, right symbol) → (rank, merged symbol).
    private let merges: PairTable
    /// The symbol of each byte's byte-level character, or -1 if no token or merge mentions it.
    private let byteSymbols: [Int32]
    /// What a byte turns into when its symbol is not a token: llama.cpp looks up each UTF-8 byte of
    /// the byte-level character as a one-byte token.
    private let byteFallback: [[TokenID]]

    init(vocabulary: Vocabulary, merges mergeList: [String], preTokenizer: PreTokenizer) {
        self.preTokenizer = preTokenizer
        tokenCount = Int32(vocabulary.count)
        var symbols = vocabulary.idsByText
        var merges = PairTable(expectedCount: mergeList.count)
        var nextSymbol = tokenCount
        func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
            let id = symbols.insert(bytes, nextSymbol, replacing: false)
            if id == nextSymbol { nextSymbol += 1 }
            return id
        }
        var joined: [UInt8] = []
        for (rank, merge) in mergeList.enumerated() {
            var merge = merge
            merge.withUTF8 { bytes in
                // "left right", split at the first space after the first byte; lines without one are skipped.
                guard bytes.count > 1, let space = bytes[1...].firstIndex(of: 0x20) else { return }
                let leftBytes = UnsafeBufferPointer(rebasing: bytes[..<space])
                let rightBytes = UnsafeBufferPointer(rebasing: bytes[(space + 1)...])
                let left = intern(UnsafeRawBufferPointer(leftBytes))
                let right = intern(UnsafeRawBufferPointer(rightBytes))
                joined.removeAll(keepingCapacity: true)
                joined.append(contentsOf: leftBytes)
                joined.append(contentsOf: rightBytes)
                let merged = joined.withUnsafeBytes { intern($0) }
                merges.insertIfAbsent(left, right, Int32(rank), merged)
            }
        }
        byteSymbols = ByteLevel.utf8ForByte.map { symbols.value($0) ?? -1 }
        byteFallback = ByteLevel.utf8ForByte.map { utf8 in utf8.compactMap { vocabulary.idsByText.value([$0]) } }
        self.symbols = symbols
        self.merges = merges
    }

    /// Appends the ids of `fragment` (text between special tokens) to `output`.
    func encode(_ fragment: UnsafeBufferPointer<UInt8>, into output: inout [TokenID]) {
        let text = DecodedText(fragment)
        let ends = text.withCodepointText { preTokenizer.split($0) }
        var work = MergeWork()
        var wordBytes: [UInt8] = []
        text.withUTF8 { utf8 in
            var start = 0
            for end in ends {
                let word = UnsafeBufferPointer(rebasing: utf8[text.offset(start) ..< text.offset(Int(end))])
                start = Int(end)
                if preTokenizer.ignoresMerges, let id = wholeWordToken(word, scratch: &wordBytes) {
                    output.append(id)
                    continue
                }
                encodeWord(word, work: &work, into: &output)
            }
        }
    }

    /// The token whose text is the word's byte-level spelling, if there is one.
    private func wholeWordToken(_ word: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8]) -> TokenID? {
        scratch.removeAll(keepingCapacity: true)
        for b in word { scratch.append(contentsOf: ByteLevel.utf8ForByte[Int(b)]) }
        guard let id = scratch.withUnsafeBytes({ symbols.value($0.baseAddress!, $0.count) }), id < tokenCount else { return nil }
        return id
    }

    private func encodeWord(_ word: UnsafeBufferPointer<UInt8>, work: inout MergeWork, into output: inout [TokenID]) {
        work.reset()
        for (i, b) in word.enumerated() {
            work.symbols.append(MergeWork.Symbol(id: byteSymbols[Int(b)], start: Int32(i), length: 1,
                                                 previous: Int32(i) - 1, next: i + 1 < word.count ? Int32(i) + 1 : -1))
        }
        for i in 1..<max(word.count, 1) { addPair(Int32(i) - 1, Int32(i), &work) }

        while !work.queue.isEmpty {
            let pair = work.queue.pop()
            let left = work.symbols[Int(pair.left)], right = work.symbols[Int(pair.right)]
            // A pair is stale once either side has merged with something else.
            if left.length == 0 || right.length == 0 || left.id != pair.leftSymbol || right.id != pair.rightSymbol {
                continue
            }
            work.symbols[Int(pair.left)].id = pair.merged
            work.symbols[Int(pair.left)].length += right.length
            work.symbols[Int(pair.left)].next = right.next
            work.symbols[Int(pair.right)].length = 0
            if right.next >= 0 { work.symbols[Int(right.next)].previous = pair.left }
            addPair(left.previous, pair.left, &work)
            addPair(pair.left, right.next, &work)
        }

        for symbol in work.symbols where symbol.length > 0 {
            if symbol.id >= 0 && symbol.id < tokenCount {
                output.append(symbol.id)
            } else {
                for i in symbol.start ..< symbol.start + symbol.length {
                    output.append(contentsOf: byteFallback[Int(word[Int(i)])])
                }
            }
        }
    }

    @inline(__always)
    private func addPair(_ left: Int32, _ right: Int32, _ work: inout MergeWork) {
        guard left >= 0, right >= 0 else { return }
        let a = work.symbols[Int(left)].id, b = work.symbols[Int(right)].id
        guard a >= 0, b >= 0, let (rank, merged) = merges.get(a, b) else { return }
        work.queue.push(MergeWork.Pair(rank: rank, left: left, right: right, leftSymbol: a, rightSymbol: b, merged: merged))
    }
}

/// Scratch state for merging one word, reused across the words of a fragment.
private struct MergeWork {
    struct Symbol {
        var id: Int32
        var start: Int32
        var length: Int32
        var previous: Int32
        var next: Int32
    }

    struct Pair: Comparable {
        var rank: Int32
        var left: Int32
        var right: Int32
        var leftSymbol: Int32
        var rightSymbol: Int32
        var merged: Int32

        static func < (a: Pair, b: Pair) -> Bool { a.rank != b.rank ? a.rank < b.rank : a.left < b.left }
        static func == (a: Pair, b: Pair) -> Bool { a.rank == b.rank && a.left == b.left }
    }

    var symbols: [Symbol] = []
    var queue = MinHeap<Pair>()

    mutating func reset() {
        symbols.removeAll(keepingCapacity: true)
        queue.removeAll()
    }
}
