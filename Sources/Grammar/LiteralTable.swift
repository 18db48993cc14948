/// A sorted set of byte strings matched a byte at a time. The strings that share the bytes read so
/// far form a contiguous range of the sorted table, so a match in progress is just (range, offset).
struct LiteralTable: Sendable {
    /// Sorted bytewise, without duplicates.
    let entries: [[UInt8]]
    /// A number carried with each entry (an object key's property index).
    let tags: [Int]

    init(_ literals: [(bytes: [UInt8], tag: Int)]) {
        var seen = Set<[UInt8]>()
        let unique = literals.filter { seen.insert($0.bytes).inserted }
        let sorted = unique.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        entries = sorted.map(\.bytes)
        tags = sorted.map(\.tag)
    }

    var all: LiteralMatch { LiteralMatch(lower: 0, upper: Int32(entries.count), offset: 0) }

    /// The entries of `match` whose next byte is `byte`, or nil when none is.
    func narrowed(_ match: LiteralMatch, by byte: UInt8) -> LiteralMatch? {
        let offset = Int(match.offset)
        var lower = Int(match.lower)
        let upper = Int(match.upper)
        // Entries ending here sort first; the rest are ordered by their byte at `offset`.
        while lower < upper && (entries[lower].count <= offset || entries[lower][offset] < byte) { lower += 1 }
        var end = lower
        while end < upper && entries[end][offset] == byte { end += 1 }
        guard end > lower else { return nil }
        return LiteralMatch(lower: Int32(lower), upper: Int32(end), offset: match.offset + 1)
    }

    /// The entry `match` has read completely, if any (there is at most one).
    func completed(_ match: LiteralMatch) -> Int? {
        guard match.lower < match.upper, entries[Int(match.lower)].count == Int(match.offset) else { return nil }
        return Int(match.lower)
    }

    /// Whether some entry of `match` has bytes left.
    func canExtend(_ match: LiteralMatch) -> Bool {
        Int(match.upper - match.lower) > (completed(match) == nil ? 0 : 1)
    }
}

/// The entries of a `LiteralTable` that agree with the bytes read so far.
struct LiteralMatch: Sendable, Equatable {
    var lower: Int32
    var upper: Int32
    var offset: Int32
}
