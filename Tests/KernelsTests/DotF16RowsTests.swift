import Testing
import TestSupport
import Kernels

/// Attention's key scores: `dotF16Rows` (the query widened once, no call per row) against
/// `dotF16` on each row, bit for bit.
@Suite("f16 key rows")
struct DotF16RowsTests {
    @Test("dotF16Rows equals dotF16 times the scale on every row", arguments: [16, 40, 64, 72, 128, 192])
    func rowsEqualOneByOne(dim: Int) {
        var rng = SeededRandom(seed: UInt64(dim))
        let rows = 37, stride = dim + 24  // rows padded apart, as a cache row holds several heads
        let keys = (0..<rows * stride).map { _ in Float.random(in: -4...4, using: &rng).fp16Bits }
        let query = (0..<dim).map { _ in Float.random(in: -2...2, using: &rng).fp16Bits }
        let scale: Float = 0.125
        var scores = [Float](repeating: .nan, count: rows)
        var widened = [Float](repeating: .nan, count: dim)
        keys.withUnsafeBytes { k in
            query.withUnsafeBufferPointer { q in
                Elementwise.dotF16Rows(k.baseAddress!, stride: 2 * stride, rows: rows, query: q.baseAddress!, dim: dim,
                                       widened: &widened, scale: scale, into: &scores)
            }
        }
        for j in 0..<rows {
            let expected = keys.withUnsafeBufferPointer { k in
                query.withUnsafeBufferPointer { q in Elementwise.dotF16(k.baseAddress! + j * stride, q.baseAddress!, count: dim) }
            } * scale
            #expect(scores[j].bitPattern == expected.bitPattern, "row \(j): \(scores[j]) against \(expected)")
        }
    }
}
