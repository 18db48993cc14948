/// Cuts text at special tokens before it is tokenized, as llama.cpp's `tokenizer_st_partition` does:
/// the longest token claims all its occurrences first (leftmost, not overlapping), then the next
/// longest searches only the text still unclaimed, and so on. Control and unknown tokens take part
/// only when special parsing is on; user-defined tokens always do.
///
/// Instead of one scan per token (thousands for Gemma), a trie finds each position's longest match in
/// one pass, and matches are accepted from a priority queue in the same order llama.cpp finds them,
/// which gives the same cuts in O(n log n) without listing every nested match of long runs.
struct SpecialTokenSplitter: Sendable {
    enum Fragment: Equatable {
        /// A byte range of the input to tokenize as text.
        case text(Range<Int>)
        case token(TokenID)
    }

    /// Trie edges: (node, byte) → (child node, 0). Node 0 is the root.
    private let edges: PairTable
    /// For each node, the priority (index into `tokens`) of the first token spelled by the path to it,
    /// or -1; `userDefinedAt` counts only tokens that take part when special parsing is off.
    private let anyAt: [Int32]
    private let userDefinedAt: [Int32]
    /// Bytes that start some token.
    private let startsToken: [Bool]
    /// Splittable tokens in priority order, with their lengths and whether whitespace after them is dropped.
    private let tokens: [TokenID]
    private let lengths: [Int32]
    private let stripsRight: [Bool]

    init(vocabulary: Vocabulary) {
        var edges = PairTable(expectedCount: vocabulary.splittableTokens.count * 4)
        var anyAt: [Int32] = [-1], userDefinedAt: [Int32] = [-1]
        var startsToken = [Bool](repeating: false, count: 256)
        var lengths: [Int32] = [], stripsRight: [Bool] = []
        for (priority, id) in vocabulary.splittableTokens.enumerated() {
            let text = vocabulary.text(of: id)
            lengths.append(Int32(text.count))
            stripsRight.append(vocabulary.attributes[Int(id)].contains(.rstrip))
            startsToken[Int(text.first!)] = true
            var node: Int32 = 0
            for b in text {
                let (child, _) = edges.insertIfAbsent(node, Int32(b), Int32(anyAt.count), 0)
                if Int(child) == anyAt.count {
                    anyAt.append(-1)
                    userDefinedAt.append(-1)
                }
                node = child
            }
            // A later token with the same text never finds anything left to claim.
            if anyAt[Int(node)] < 0 { anyAt[Int(node)] = Int32(priority) }
            if userDefinedAt[Int(node)] < 0 && vocabulary.attributes[Int(id)].isDisjoint(with: .special) {
                userDefinedAt[Int(node)] = Int32(priority)
            }
        }
        self.edges = edges
        self.anyAt = anyAt
        self.userDefinedAt = userDefinedAt
        self.startsToken = startsToken
        self.tokens = vocabulary.splittableTokens
        self.lengths = lengths
        self.stripsRight = stripsRight
    }

    /// The fragments of `text`, in order; empty text gives no fragments.
    func split(_ text: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Fragment] {
        let n = text.count
        guard n > 0 else { return [] }
        let terminal = parseSpecial ? anyAt : userDefinedAt

        // The longest match at `start` shorter than `limit`: its priority and length.
        func longestMatch(at start: Int, shorterThan limit: Int) -> Candidate? {
            var node: Int32 = 0
            var i = start
            var best: Candidate?
            while i < n && i - start + 1 < limit, let (child, _) = edges.get(node, Int32(text[i])) {
                node = child
                i += 1
                let priority = terminal[Int(node)]
                if priority >= 0 { best = Candidate(priority: priority, position: Int32(start), length: Int32(i - start)) }
            }
            return best
        }

        // Matches are taken in priority order (then position). Each position keeps one candidate, its
        // longest match; when that overlaps text already claimed, its next shorter match takes its place.
        var queue = MinHeap<Candidate>()
        for start in 0..<n where startsToken[Int(text[start])] {
            if let candidate = longestMatch(at: start, shorterThan: .max) { queue.push(candidate) }
        }
        guard !queue.isEmpty else { return [.text(0..<n)] }

        var claimed = [Bool](repeating: false, count: n)
        var accepted: [(position: Int, priority: Int)] = []
        while !queue.isEmpty {
            let candidate = queue.pop()
            let start = Int(candidate.position), end = start + Int(candidate.length)
            if claimed[start] { continue }
            if claimed[start..<end].contains(true) {
                if let shorter = longestMatch(at: start, shorterThan: Int(candidate.length)) { queue.push(shorter) }
                continue
            }
            for i in start..<end { claimed[i] = true }
            accepted.append((start, Int(candidate.priority)))
            if stripsRight[Int(candidate.priority)] {
                var i = end
                while i < n && !claimed[i] && Self.isCSpace(text[i]) {
                    claimed[i] = true  // dropped: part of no fragment
                    i += 1
                }
            }
        }
        accepted.sort { $0.position < $1.position }

        // Unclaimed runs are text; dropped whitespace only separates.
        var fragments: [Fragment] = []
        var runStart: Int? = nil
        var next = 0
        var i = 0
        while i <= n {
            let atToken = next < accepted.count && accepted[next].position == i
            if i == n || atToken || claimed[i] {
                if let start = runStart { fragments.append(.text(start..<i)) }
                runStart = nil
            } else if runStart == nil {
                runStart = i
            }
            if atToken {
                fragments.append(.token(tokens[accepted[next].priority]))
                i += Int(lengths[accepted[next].priority])
                next += 1
            } else {
                i += 1
            }
        }
        return fragments
    }

    /// A match of the token with this priority at this position; the queue takes the lowest priority first.
    private struct Candidate: Comparable {
        var priority: Int32
        var position: Int32
        var length: Int32

        static func < (a: Candidate, b: Candidate) -> Bool {
            a.priority != b.priority ? a.priority < b.priority : a.position < b.position
        }
    }

    /// C's `isspace` in the "C" locale.
    private static func isCSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
}
