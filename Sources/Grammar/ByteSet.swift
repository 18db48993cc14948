/// A set of byte values, 256 bits: which bytes can open a value, so a choice between schemas
/// forks only into the alternatives that can take the byte that arrived.
struct ByteSet: Sendable, Equatable {
    private var words: SIMD4<UInt64> = .zero

    init() {}

    init(_ bytes: some Sequence<UInt8>) {
        for b in bytes { insert(b) }
    }

    mutating func insert(_ byte: UInt8) {
        words[Int(byte >> 6)] |= 1 << UInt64(byte & 63)
    }

    func contains(_ byte: UInt8) -> Bool {
        words[Int(byte >> 6)] & (1 << UInt64(byte & 63)) != 0
    }

    mutating func formUnion(_ other: ByteSet) {
        words |= other.words
    }

    var isEmpty: Bool { words == .zero }
}
