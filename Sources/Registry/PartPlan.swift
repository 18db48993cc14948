/// One byte range of a blob and how much of it is on disk: what `sha256-<hex>-partial-<N>`
/// records, in Ollama's JSON (`{"N":0,"Offset":0,"Size":…,"Completed":…}`), so a download
/// interrupted by either program resumes from where it stopped.
public struct PartState: Hashable, Sendable {
    public var index: Int
    public var offset: Int
    public var size: Int
    /// Bytes from `offset` that are written; only ever advanced after the bytes are.
    public var completed: Int

    public init(index: Int, offset: Int, size: Int, completed: Int = 0) {
        self.index = index
        self.offset = offset
        self.size = size
        self.completed = completed
    }

    public var isComplete: Bool { completed >= size }
    /// The next byte to request.
    public var resumeOffset: Int { offset + completed }
    /// The last byte of the part (inclusive, as HTTP ranges are).
    public var lastByte: Int { offset + size - 1 }
}

/// How a blob is cut into parts (§5.7): a sixteenth of it, clamped to [100 MB, 1000 MB], the
/// last part taking the remainder. Ollama's rule, kept so that part files written by Ollama and
/// by Tern describe the same ranges.
public struct PartPlan: Sendable {
    public static let ollama = PartPlan(parts: 16, minimumSize: 100_000_000, maximumSize: 1_000_000_000)

    public var parts: Int
    public var minimumSize: Int
    public var maximumSize: Int

    public init(parts: Int, minimumSize: Int, maximumSize: Int) {
        self.parts = parts
        self.minimumSize = minimumSize
        self.maximumSize = maximumSize
    }

    /// The part size for a blob of `total` bytes.
    public func partSize(total: Int) -> Int { min(max(total / parts, minimumSize), maximumSize) }

    /// Fresh, empty parts covering `total` bytes.
    public func parts(total: Int) -> [PartState] {
        let size = partSize(total: total)
        return stride(from: 0, to: total, by: size).enumerated().map { index, offset in
            PartState(index: index, offset: offset, size: min(size, total - offset))
        }
    }

    /// The parts to continue from: `saved` (read back from part files) when they tile `total`
    /// exactly, else a fresh plan. Saved parts that overlap, leave gaps or claim more than their
    /// size come from another blob or a damaged file, so their bytes are not trusted.
    public func resume(total: Int, saved: [PartState]) -> (parts: [PartState], resumed: Bool) {
        let sorted = saved.sorted { $0.offset < $1.offset }
        var next = 0
        for part in sorted {
            guard part.offset == next, part.size > 0, part.completed >= 0, part.completed <= part.size else {
                return (parts(total: total), false)
            }
            next += part.size
        }
        guard !sorted.isEmpty, next == total else { return (parts(total: total), false) }
        return (sorted, true)
    }
}
