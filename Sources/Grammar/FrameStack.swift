/// One open value on the recognizer's stack, packed in 64 bits: its node, where in its syntax the
/// reader is (`phase`), and a count (an object's property cursor, an array's item count).
struct Frame: Sendable, Equatable {
    var node: NodeID
    var phase: UInt8
    var count: Int

    init(node: NodeID, phase: UInt8 = 0, count: Int = 0) {
        self.node = node
        self.phase = phase
        self.count = count
    }

    fileprivate init(packed: UInt64) {
        node = NodeID(packed & 0xFFFF_FFFF)
        phase = UInt8(truncatingIfNeeded: packed >> 32)
        count = Int(packed >> 40)
    }

    fileprivate var packed: UInt64 {
        UInt64(UInt32(truncatingIfNeeded: node)) | UInt64(phase) << 32 | UInt64(min(count, ArrayRule.countLimit)) << 40
    }
}

/// The stack of open values, stored inline (no heap, no reference counting), so copying a
/// recognizer state to try a candidate token is a plain 264-byte copy. The price is a nesting limit.
struct FrameStack: Sendable, Equatable {
    static let capacity = 32
    private var slots = SIMD32<UInt64>()
    private(set) var depth = 0

    var isEmpty: Bool { depth == 0 }

    var top: Frame {
        get { Frame(packed: slots[depth - 1]) }
        set { slots[depth - 1] = newValue.packed }
    }

    /// Pushes `frame`, or returns false when the stack is full.
    mutating func push(_ frame: Frame) -> Bool {
        guard depth < Self.capacity else { return false }
        slots[depth] = frame.packed
        depth += 1
        return true
    }

    mutating func pop() {
        depth -= 1
        slots[depth] = 0
    }
}
