import Kernels
import Testing
import TestSupport

/// Attention's key scores: `dotF16Rows` (queries widened once, rows once per four heads) against
/// `dotF16` on each row and query, bit for bit.
@Suite("f16 key rows")
struct DotF16RowsTests {
    @Test("dotF16Rows equals dotF16 times the scale on every row and head",
          arguments: [(16, 1), (40, 3), (64, 1), (64, 3), (72, 2), (128, 7), (192, 4)])
    func rowsEqualOneByOne(dim: Int, heads: Int) {
        var rng = SeededRandom(seed: UInt64(dim * 10 + heads))
        let rows = 37, stride = dim + 24  // rows padded apart, as a cache row holds several KV heads
        let keys = (0..<rows * stride).map { _ in Float.random(in: -4...4, using: &rng).fp16Bits }
        let queries = (0..<heads * dim).map { _ in Float.random(in: -2...2, using: &rng).fp16Bits }
        let scale: Float = 0.125, scoreStride = rows + 5
        var scores = [Float](repeating: .nan, count: heads * scoreStride)
        var widened = [Float](repeating: .nan, count: heads * dim)
        keys.withUnsafeBytes { k in
            queries.withUnsafeBufferPointer { q in
                Elementwise.dotF16Rows(k.baseAddress!, stride: 2 * stride, rows: rows, queries: q.baseAddress!, heads: heads, dim: dim,
                                       widened: &widened, scale: scale, into: &scores, scoreStride: scoreStride)
            }
        }
        for h in 0..<heads {
            for j in 0..<rows {
                let expected = keys.withUnsafeBufferPointer { k in
                    queries.withUnsafeBufferPointer { q in
                        Elementwise.dotF16(k.baseAddress! + j * stride, q.baseAddress! + h * dim, count: dim)
                    }
                } * scale
                let got = scores[h * scoreStride + j]
                #expect(got.bitPattern == expected.bitPattern, "head \(h), row \(j): \(got) against \(expected)")
            }
        }
    }
}
