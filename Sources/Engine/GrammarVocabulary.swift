import Grammar
import Synchronization
import Tokenizer

/// Every token's bytes as a grammar reads them (the streamed piece; special tokens excluded), laid
/// out for masking: sorted, so the walk visits the vocabulary like a trie (tokens sharing a prefix
/// advance the grammar through it once; a refused prefix skips every token that starts with it),
/// and with plain-text tokens set apart, since inside a string they are accepted by length alone.
struct GrammarVocabulary: Sendable {
    /// Each token id's piece; empty for tokens that can never be inside JSON.
    private let pieces: [[UInt8]]
    /// Every usable token, sorted by bytes.
    private let all: SortedPieces
    /// The tokens that are not plain string text, sorted: the only ones read inside a string.
    private let nonPlain: SortedPieces
    /// Plain string-text tokens and their character counts.
    private let plain: [(id: TokenID, characters: Int)]

    init(tokenizer: Tokenizer) {
        let vocabulary = tokenizer.vocabulary
        let excluded: TokenAttributes = [.control, .unknown, .userDefined, .unused]
        var pieces = [[UInt8]](repeating: [], count: vocabulary.count)
        var usable: [(id: TokenID, bytes: [UInt8])] = []
        var nonPlain: [(id: TokenID, bytes: [UInt8])] = []
        var plain: [(id: TokenID, characters: Int)] = []
        for index in 0..<vocabulary.count {
            let id = TokenID(index)
            guard vocabulary.attributes[index].isDisjoint(with: excluded), !vocabulary.isEndOfGeneration(id) else { continue }
            let piece = tokenizer.piece(id, special: false)
            guard !piece.isEmpty else { continue }
            pieces[index] = piece
            usable.append((id, piece))
            if let characters = GrammarState.plainStringCharacters(piece) {
                plain.append((id, characters))
            } else {
                nonPlain.append((id, piece))
            }
        }
        self.pieces = pieces
        all = SortedPieces(usable)
        self.nonPlain = SortedPieces(nonPlain)
        self.plain = plain
    }

    /// The grammar's state after `id`'s bytes, or nil when the token cannot come next (including
    /// special and end-of-generation tokens, which the caller handles).
    func state(after id: TokenID, from state: GrammarState) -> GrammarState? {
        guard id >= 0 && Int(id) < pieces.count, !pieces[Int(id)].isEmpty else { return nil }
        return state.advanced(by: pieces[Int(id)])
    }

    /// Calls `allow` with every token whose bytes `state` takes.
    func forEachAllowed(from state: GrammarState, _ allow: (TokenID) -> Void) {
        guard let room = state.openStringRoom else { return all.forEachAllowed(from: state, allow) }
        for token in plain where token.characters <= room { allow(token.id) }
        nonPlain.forEachAllowed(from: state, allow)
    }
}

/// Token pieces in byte order, each with the length of the prefix it shares with the one before.
private struct SortedPieces: Sendable {
    private let bytes: [UInt8]
    /// Where each piece starts in `bytes`; one more entry than pieces.
    private let starts: [Int32]
    private let ids: [TokenID]
    private let sharedPrefix: [Int32]

    init(_ pieces: [(id: TokenID, bytes: [UInt8])]) {
        let sorted = pieces.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        var sharedPrefix: [Int32] = []
        var previous: [UInt8] = []
        for (_, piece) in sorted {
            starts.append(Int32(bytes.count))
            bytes += piece
            sharedPrefix.append(Int32(zip(previous, piece).prefix { $0 == $1 }.count))
            previous = piece
        }
        starts.append(Int32(bytes.count))
        self.bytes = bytes
        self.starts = starts
        ids = sorted.map(\.id)
        self.sharedPrefix = sharedPrefix
    }

    func forEachAllowed(from state: GrammarState, _ allow: (TokenID) -> Void) {
        // path[k]: the state after the first k bytes of the piece last walked (as far as it lived).
        var path = [state]
        for index in ids.indices {
            let shared = Int(sharedPrefix[index])
            // The piece last walked died within the bytes this one shares with it: this one dies too.
            guard shared < path.count else { continue }
            path.removeLast(path.count - 1 - shared)
            var alive = true
            for i in Int(starts[index]) + shared..<Int(starts[index + 1]) {
                var next = path[path.count - 1]
                guard next.advance(bytes[i]) else {
                    alive = false
                    break
                }
                path.append(next)
            }
            if alive { allow(ids[index]) }
        }
    }
}

/// One `GrammarVocabulary` per loaded model, built by the first constrained request (about 0.1 s
/// for 49k tokens) and dropped with the model.
enum GrammarVocabularyCache {
    private struct Entry {
        weak var model: LoadedModel?
        let vocabulary: GrammarVocabulary
    }

    private static let entries = Mutex<[Entry]>([])

    static func vocabulary(for loaded: LoadedModel) -> GrammarVocabulary {
        if let cached = entries.withLock({ $0.first { $0.model === loaded }?.vocabulary }) { return cached }
        let built = GrammarVocabulary(tokenizer: loaded.tokenizer)
        entries.withLock { entries in
            entries.removeAll { $0.model == nil }
            entries.append(Entry(model: loaded, vocabulary: built))
        }
        return built
    }
}
