import GGUF
import Kernels
import Testing
import TestSupport

/// MatMul against one `dot` per output: the tiling, the thread split and the activation
/// quantization must not change a single bit.
@Suite("MatMul")
struct MatMulTests {
    static let types: [GGMLType] = DotKernelTests.types + [.q2_K]

    @Test("Every output equals the row dot of its weight row and quantized token", arguments: types)
    func outputsEqualRowDots(type: GGMLType) throws {
        let cols = type.blockSize == 1 ? 200 : 2 * 256
        let rows = 19
        let vecDotType = try #require(type.vecDotType)
        var weights: [UInt8] = []
        for row in 0..<rows {
            weights += try DotKernelTests.randomRows(type, count: cols, seed: UInt64(100 + row)).weights
        }
        var rng = SeededRandom(seed: 7)
        for tokens in [1, 3, 10] {
            let x = (0..<tokens * cols).map { _ in Float.random(in: -3...3, using: &rng) }
            for threads in [1, 2] {
                let pool = ThreadPool(threads: threads)
                var y = [Float](repeating: .nan, count: tokens * rows)
                try weights.withUnsafeBytes { w in
                    let matrix = try WeightMatrix(type: type, rows: rows, cols: cols, data: w.baseAddress!)
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { yp in
                            MatMul.multiply(matrix, xp.baseAddress!, tokens: tokens, into: yp.baseAddress!, pool: pool, scratch: MatMulScratch())
                        }
                    }
                }
                let rowBytes = weights.count / rows
                for t in 0..<tokens {
                    var xq = [UInt8](repeating: 0, count: try #require(vecDotType.byteCount(values: cols)))
                    try x.withUnsafeBufferPointer { src in
                        try xq.withUnsafeMutableBytes { try quantizeActivation(vecDotType, UnsafeBufferPointer(rebasing: src[t * cols..<(t + 1) * cols]), into: $0) }
                    }
                    for r in 0..<rows {
                        let expected = try weights.withUnsafeBytes { w in
                            try xq.withUnsafeBytes { a in
                                try dot(type, weightRow: UnsafeRawBufferPointer(rebasing: w[r * rowBytes..<(r + 1) * rowBytes]), activationRow: a, count: cols)
                            }
                        }
                        #expect(y[t * rows + r].bitPattern == expected.bitPattern,
                                "\(type), \(tokens) tokens, \(threads) threads, y[\(t)][\(r)]: \(y[t * rows + r]) vs \(expected)")
                    }
                }
            }
        }
    }
}
