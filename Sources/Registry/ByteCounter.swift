import Synchronization

/// Bytes transferred so far, shared between the tasks moving them and those reporting progress.
public final class ByteCounter: Sendable {
    private let bytes = Atomic<Int>(0)

    public init() {}

    public var value: Int { bytes.load(ordering: .relaxed) }
    public func add(_ count: Int) { bytes.add(count, ordering: .relaxed) }
    public func set(_ count: Int) { bytes.store(count, ordering: .relaxed) }
}
