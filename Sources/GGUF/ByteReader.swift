/// A bounds-checked little-endian cursor over untrusted bytes. Every read either succeeds or
/// throws `GGUFError.truncated` naming what was being read; nothing traps.
struct ByteReader {
    let base: UnsafeRawBufferPointer
    private(set) var offset: Int = 0

    init(_ base: UnsafeRawBufferPointer) { self.base = base }

    var remaining: Int { base.count - offset }

    mutating func require(_ n: Int, _ what: @autoclosure () -> String) throws {
        guard n >= 0, n <= remaining else {
            throw GGUFError.truncated(what: what(), offset: offset, needed: n - remaining, fileSize: base.count)
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, what())
        let v = base.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: v)
    }

    mutating func readFloat(_ what: @autoclosure () -> String) throws -> Float {
        Float(bitPattern: try read(UInt32.self, what()))
    }

    mutating func readDouble(_ what: @autoclosure () -> String) throws -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    /// A length-prefixed (u64) UTF-8 string.
    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let start = offset
        let length = try read(UInt64.self, what())
        guard length <= UInt64(remaining) else {
            throw GGUFError.truncated(what: what(), offset: offset, needed: Int(clamping: length) - remaining,
                                      fileSize: base.count)
        }
        let n = Int(length)
        let bytes = UnsafeRawBufferPointer(rebasing: base[offset..<offset + n]).bindMemory(to: UInt8.self)
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw GGUFError.invalidUTF8(what: what(), offset: start)
        }
        offset += n
        return s
    }

    /// Reads a count and checks that `count × minElementBytes` can still fit, so no allocation is
    /// ever sized by a number the file merely claims.
    mutating func readCount(minElementBytes: Int, _ what: @autoclosure () -> String) throws -> Int {
        let at = offset
        let count = try read(UInt64.self, what())
        let limit = UInt64(remaining / max(minElementBytes, 1))
        guard count <= limit else {
            throw GGUFError.countTooLarge(what: what(), count: count, offset: at, remaining: remaining)
        }
        return Int(count)
    }

    mutating func skip(to newOffset: Int, _ what: @autoclosure () -> String) throws {
        try require(newOffset - offset, what())
        offset = newOffset
    }
}
