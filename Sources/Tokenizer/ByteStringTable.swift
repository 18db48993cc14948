/// An open-addressing hash map from byte strings to `Int32` values. Keys live in one arena and lookups
/// take a pointer and a length, so the tokenizer's hot path never allocates a key.
struct ByteStringTable: Sendable {
    private var arena: [UInt8] = []
    /// Key `k` is `arena[keyStarts[k] ..< keyStarts[k + 1]]`.
    private var keyStarts: [Int32] = [0]
    private var values: [Int32] = []
    /// 0 marks an empty slot; otherwise the hash's high 32 bits, then the key index plus one.
    private var slots: [UInt64]
    private var mask: Int

    init(expectedCount: Int) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        values.reserveCapacity(expectedCount)
        keyStarts.reserveCapacity(expectedCount + 1)
    }

    /// The value stored for the `count` bytes at `key`, or nil.
    @inline(__always)
    func value(_ key: UnsafeRawPointer, _ count: Int) -> Int32? {
        let h = Self.hash(key, count)
        let tag = h >> 32
        var i = Int(truncatingIfNeeded: h) & mask
        return arena.withUnsafeBytes { arenaBytes in
            slots.withUnsafeBufferPointer { slots in
                while true {
                    let slot = slots[i]
                    if slot == 0 { return nil }
                    if slot >> 32 == tag {
                        let k = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                        let start = Int(keyStarts[k])
                        if Int(keyStarts[k + 1]) - start == count
                            && Self.equal(arenaBytes.baseAddress! + start, key, count)
                        {
                            return values[k]
                        }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    func value(_ key: [UInt8]) -> Int32? {
        key.withUnsafeBytes { value($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, $0.count) }
    }

    /// Stores `value` for `key`. With `replacing` false an existing value is kept (first one wins).
    /// Returns the value now stored.
    @discardableResult
    mutating func insert(_ key: UnsafeRawBufferPointer, _ value: Int32, replacing: Bool) -> Int32 {
        if let k = keyIndex(key) {
            if replacing { values[k] = value }
            return values[k]
        }
        if (values.count + 1) * 2 > slots.count { grow() }
        arena.append(contentsOf: key)
        keyStarts.append(Int32(arena.count))
        values.append(value)
        place(keyIndex: values.count - 1, hash: Self.hash(key.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, key.count))
        return value
    }

    private func keyIndex(_ key: UnsafeRawBufferPointer) -> Int? {
        let base = key.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        let h = Self.hash(base, key.count)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { return nil }
            if slot >> 32 == h >> 32 {
                let k = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                let start = Int(keyStarts[k])
                let same = Int(keyStarts[k + 1]) - start == key.count
                    && arena.withUnsafeBytes { Self.equal($0.baseAddress! + start, base, key.count) }
                if same { return k }
            }
            i = (i + 1) & mask
        }
    }

    private mutating func place(keyIndex k: Int, hash h: UInt64) {
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = (h >> 32) << 32 | UInt64(k + 1)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for k in 0..<values.count {
            let start = Int(keyStarts[k])
            let h = arena.withUnsafeBytes { Self.hash($0.baseAddress! + start, Int(keyStarts[k + 1]) - start) }
            place(keyIndex: k, hash: h)
        }
    }

    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ count: Int) -> UInt64 {
        var h = 0x243F_6A88_85A3_08D3 &+ UInt64(count) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i + 8 <= count {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        if i < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < count {
                tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        h ^= h >> 32
        h = h &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }

    @inline(__always)
    private static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }
}
