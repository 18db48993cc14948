/// Finds stop strings in generated text as it streams, even when one is split across tokens, and
/// never lets any part of a stop string out.
///
/// Feed each decoded piece to `append`; emit the text it returns. Text that could be the start of a
/// stop string is held back until the following pieces settle it. When a stop string completes,
/// `append` returns the text before it and names it; the stop text itself is dropped, as Ollama
/// does, and generation should end. At the natural end of generation, `finish` releases the text
/// still held back.
///
/// Matching is on UTF-8 bytes, exactly as written (no Unicode normalisation). When several stop
/// strings complete in the same piece, the one starting earliest wins, then the one listed first,
/// as llama-server decides. Empty stop strings are ignored.
public struct StopSequenceMatcher: Sendable {
    /// What a piece of generated text produced.
    public struct Output: Sendable, Equatable {
        /// Text that is safe to emit now; possibly empty.
        public var text: String
        /// The stop string that ended generation, if one did.
        public var stop: String?

        public init(text: String, stop: String? = nil) {
            self.text = text
            self.stop = stop
        }
    }

    private let stops: [(text: String, bytes: [UInt8])]
    private let longestStop: Int
    private var pending: [UInt8] = []
    /// The stop string that matched; once set, the matcher swallows everything.
    private var matchedStop: String?

    public init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }.map { ($0, Array($0.utf8)) }
        longestStop = self.stops.map(\.bytes.count).max() ?? 0
    }

    /// Takes the next piece of generated text.
    public mutating func append(_ piece: String) -> Output {
        if let matchedStop { return Output(text: "", stop: matchedStop) }
        pending.append(contentsOf: piece.utf8)
        if let (start, stop) = earliestStop() {
            let text = String(decoding: pending[..<start], as: UTF8.self)
            pending.removeAll()
            matchedStop = stop
            return Output(text: text, stop: stop)
        }
        let safe = pending.count - heldBackCount()
        let text = String(decoding: pending[..<safe], as: UTF8.self)
        pending.removeFirst(safe)
        return Output(text: text)
    }

    /// Releases the text held back as a possible stop start; call once generation has ended without
    /// a stop. Returns "" after a stop matched: whatever followed it is not part of the answer.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// The first complete stop string in the pending bytes: its start and text.
    private func earliestStop() -> (start: Int, stop: String)? {
        var found: (start: Int, stop: String)?
        for stop in stops {
            let searchEnd = min(pending.count - stop.bytes.count, (found?.start ?? Int.max) - 1)
            guard searchEnd >= 0 else { continue }
            for start in 0...searchEnd where pending[start..<(start + stop.bytes.count)].elementsEqual(stop.bytes) {
                found = (start, stop.text)
                break
            }
        }
        return found
    }

    /// How many trailing pending bytes could begin a stop string, longest first. Such a suffix starts
    /// with a stop string's first byte, never a UTF-8 continuation byte, so both sides of the cut stay
    /// whole characters.
    private func heldBackCount() -> Int {
        var length = min(pending.count, longestStop - 1)
        while length > 0 {
            let suffix = pending[(pending.count - length)...]
            if stops.contains(where: { $0.bytes.count > length && $0.bytes.starts(with: suffix) }) {
                return length
            }
            length -= 1
        }
        return 0
    }
}
