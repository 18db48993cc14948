import ModelStore
import Synchronization

/// The bookkeeping of one download attempt. The parts (what the part files record) are cut into
/// slices that the connections take in offset order, so the blob fills from its start and the
/// hasher, which may read only bytes that are all written from offset 0 (the frontier), follows
/// close behind. A part's `completed` is how far it is written without a gap from its start:
/// bytes of a slice that is ahead of a gap are fetched again after a kill, never trusted.
final class DownloadLedger: Sendable {
    struct Slice: Sendable {
        /// Position in `slices`.
        let id: Int
        /// Position of its part in `parts`.
        let part: Int
        let start: Int
        let count: Int
    }

    private struct State {
        var parts: [PartState]
        /// Bytes received of each slice, in its order from its start.
        var received: [Int]
        /// Per part: its first slice not yet whole (its slices are consecutive in `slices`).
        var cursor: [Int]
        var savedCompleted: [Int]
        var nextSlice = 0
        /// The first part not yet whole: the frontier lies in it.
        var frontierPart = 0
        var frontier = 0

        /// Moves the frontier past whole parts; true when it moved.
        mutating func advanceFrontier() -> Bool {
            while frontierPart < parts.count && parts[frontierPart].isComplete { frontierPart += 1 }
            let end = frontierPart < parts.count ? parts[frontierPart].resumeOffset : parts.last.map { $0.offset + $0.size } ?? 0
            guard end > frontier else { return false }
            frontier = end
            return true
        }
    }

    let slices: [Slice]
    private let sliceRange: [Range<Int>]
    private let saveInterval: Int
    private let save: @Sendable (PartState) throws(ModelStoreError) -> Void
    private let state: Mutex<State>
    private let frontierUpdates: AsyncStream<Int>.Continuation
    /// The frontier each time it moves (the newest only: the hasher reads up to the latest).
    let frontiers: AsyncStream<Int>

    /// `parts` sorted by offset and tiling the blob; `save` records a part's state.
    init(parts: [PartState], sliceSize: Int, saveInterval: Int, save: @escaping @Sendable (PartState) throws(ModelStoreError) -> Void) {
        var slices: [Slice] = []
        var ranges: [Range<Int>] = []
        for (index, part) in parts.enumerated() {
            let first = slices.count
            for start in stride(from: part.resumeOffset, to: part.offset + part.size, by: sliceSize) {
                slices.append(Slice(id: slices.count, part: index, start: start, count: min(sliceSize, part.offset + part.size - start)))
            }
            ranges.append(first..<slices.count)
        }
        self.slices = slices
        sliceRange = ranges
        self.saveInterval = saveInterval
        self.save = save
        (frontiers, frontierUpdates) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        var initial = State(parts: parts, received: Array(repeating: 0, count: slices.count),
                            cursor: ranges.map(\.lowerBound), savedCompleted: parts.map(\.completed))
        _ = initial.advanceFrontier()
        state = Mutex(initial)
        frontierUpdates.yield(initial.frontier)
    }

    /// The parts as they stand.
    var parts: [PartState] { state.withLock { $0.parts } }

    /// The next slice nobody has taken, in offset order; nil when all are taken.
    func take() -> Slice? {
        state.withLock { s in
            guard s.nextSlice < slices.count else { return nil }
            defer { s.nextSlice += 1 }
            return slices[s.nextSlice]
        }
    }

    /// Records that `received` bytes of `slice` are written. The part's state is saved each
    /// `saveInterval` bytes and when it is whole (under the lock, so states reach the disk in order).
    func record(_ slice: Slice, received: Int) throws(ModelStoreError) {
        try state.withLock { (s) throws(ModelStoreError) in
            s.received[slice.id] = received
            let p = slice.part
            var cursor = s.cursor[p]
            while cursor < sliceRange[p].upperBound && s.received[cursor] == slices[cursor].count { cursor += 1 }
            s.cursor[p] = cursor
            let part = s.parts[p]
            let written = cursor < sliceRange[p].upperBound ? slices[cursor].start + s.received[cursor] : part.offset + part.size
            guard written - part.offset > part.completed else { return }
            s.parts[p].completed = written - part.offset
            if s.parts[p].isComplete || s.parts[p].completed - s.savedCompleted[p] >= saveInterval {
                try save(s.parts[p])
                s.savedCompleted[p] = s.parts[p].completed
            }
            if p == s.frontierPart && s.advanceFrontier() { frontierUpdates.yield(s.frontier) }
        }
    }

    /// Saves every part whose state moved since it was last saved (when an attempt ends).
    func saveAll() throws(ModelStoreError) {
        try state.withLock { (s) throws(ModelStoreError) in
            for (p, part) in s.parts.enumerated() where part.completed != s.savedCompleted[p] {
                try save(part)
                s.savedCompleted[p] = part.completed
            }
        }
    }

    /// Ends `frontiers` (the attempt is over).
    func finish() { frontierUpdates.finish() }
}
