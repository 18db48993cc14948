/// An open-addressing hash map from a pair of 32-bit ids to a pair of 32-bit values: BPE merges
/// (left, right) → (rank, result), and the special-token trie's edges (node, byte) → (child, token).
struct PairTable: Sendable {
    private static let empty = UInt64.max
    private var keys: [UInt64]
    private var values: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(expectedCount: Int) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        keys = Array(repeating: Self.empty, count: capacity)
        values = Array(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    @inline(__always)
    private static func key(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        let h = key &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h ^ (h >> 31)) & mask
    }

    /// The values stored for (a, b), or nil.
    @inline(__always)
    func get(_ a: Int32, _ b: Int32) -> (Int32, Int32)? {
        let k = Self.key(a, b)
        var i = slot(k)
        return keys.withUnsafeBufferPointer { keys in
            while true {
                let found = keys[i]
                if found == k {
                    let v = values[i]
                    return (Int32(truncatingIfNeeded: v >> 32), Int32(truncatingIfNeeded: v))
                }
                if found == Self.empty { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// Stores (x, y) for (a, b) unless a value is already there (the first one wins, as in llama.cpp's
    /// `emplace` of merge ranks). Returns the values now stored.
    @discardableResult
    mutating func insertIfAbsent(_ a: Int32, _ b: Int32, _ x: Int32, _ y: Int32) -> (Int32, Int32) {
        if let existing = get(a, b) { return existing }
        if (count + 1) * 2 > keys.count { grow() }
        put(Self.key(a, b), UInt64(UInt32(bitPattern: x)) << 32 | UInt64(UInt32(bitPattern: y)))
        count += 1
        return (x, y)
    }

    private mutating func put(_ k: UInt64, _ v: UInt64) {
        var i = slot(k)
        while keys[i] != Self.empty { i = (i + 1) & mask }
        keys[i] = k
        values[i] = v
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: Self.empty, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for i in 0..<oldKeys.count where oldKeys[i] != Self.empty { put(oldKeys[i], oldValues[i]) }
    }
}
