import GGUF
import Kernels
import Testing
import TestSupport

/// The row dot kernels on random rows of many lengths: exactly equal to the scalar order twin
/// (ggml's float order restated), and within 1e-6·D of the scalar reference.
@Suite("Row dot kernels on random rows")
struct DotKernelTests {
    static let types: [GGMLType] = [.f32, .f16, .q4_0, .q4_1, .q5_0, .q8_0, .q4_K, .q5_K, .q6_K]

    static func lengths(_ type: GGMLType) -> [Int] {
        switch type.blockSize {
        case 1: [1, 7, 8, 13, 63, 64, 100, 517, 4096, 4103]
        case 32: [32, 64, 96, 512, 4128]
        default: [256, 512, 2816, 4096]
        }
    }

    /// One weight row and one activation row of `count` values.
    struct Rows {
        var weights: [UInt8]
        var activations: [UInt8]
    }

    /// Random rows. Odd seeds quantize random values with the reference quantizer where the type
    /// has one; the others fill blocks with random bytes and give every f16 scale field a random
    /// finite value, which reaches level and scale combinations the quantizer never writes.
    static func randomRows(_ type: GGMLType, count: Int, seed: UInt64) throws -> Rows {
        var rng = SeededRandom(seed: seed)
        let vecDotType = try #require(type.vecDotType)
        let weightValues = (0..<count).map { _ in Float.random(in: -1...1, using: &rng) * (Float.random(in: 0...1, using: &rng) < 0.02 ? 8 : 1) }
        var weights = [UInt8](repeating: 0, count: try #require(type.byteCount(values: count)))
        switch type {
        case .f32:
            weights = weightValues.withUnsafeBytes { Array($0) }
        case _ where seed % 2 == 1 && quantizable.contains(type):
            try weightValues.withUnsafeBufferPointer { src in try weights.withUnsafeMutableBytes { try quantize(type, src, into: $0) } }
        default:
            for i in weights.indices { weights[i] = UInt8.random(in: 0...255, using: &rng) }
            for block in 0..<count / type.blockSize {
                for offset in halfFieldOffsets(type) {
                    let magnitude = Float.random(in: 0.0005...0.05, using: &rng)
                    let bits = (Bool.random(using: &rng) ? magnitude : -magnitude).fp16Bits
                    weights[block * type.blockBytes + offset] = UInt8(truncatingIfNeeded: bits)
                    weights[block * type.blockBytes + offset + 1] = UInt8(truncatingIfNeeded: bits >> 8)
                }
            }
        }
        let x = (0..<count).map { j in Float.random(in: -2...2, using: &rng) * (j % 97 == 37 ? 20 : 1) }
        var activations = [UInt8](repeating: 0, count: try #require(vecDotType.byteCount(values: count)))
        try x.withUnsafeBufferPointer { src in try activations.withUnsafeMutableBytes { try quantizeActivation(vecDotType, src, into: $0) } }
        return Rows(weights: weights, activations: activations)
    }

    /// The types with a reference quantizer.
    static let quantizable: Set<GGMLType> = [.f16, .q4_0, .q4_1, .q5_0, .q8_0, .q4_K, .q6_K]

    /// Where each block keeps its f16 fields (for f16 itself, every value is one).
    static func halfFieldOffsets(_ type: GGMLType) -> [Int] {
        switch type {
        case .f16, .q4_0, .q5_0, .q8_0: [0]
        case .q4_1, .q4_K, .q5_K: [0, 2]
        case .q6_K: [208]
        case .q2_K: [80, 82]
        default: []
        }
    }

    static func kernelDot(_ type: GGMLType, _ rows: Rows, count: Int) throws -> Float {
        try rows.weights.withUnsafeBytes { w in
            try rows.activations.withUnsafeBytes { a in try dot(type, weightRow: w, activationRow: a, count: count) }
        }
    }

    @Test("Kernels equal the order twin exactly", arguments: types)
    func kernelsEqualOrderTwin(type: GGMLType) throws {
        for count in Self.lengths(type) {
            for seed in 1...6 as ClosedRange<UInt64> {
                let rows = try Self.randomRows(type, count: count, seed: seed)
                let mine = try Self.kernelDot(type, rows, count: count)
                let twin = rows.weights.withUnsafeBytes { w in
                    rows.activations.withUnsafeBytes { a in DotOrderTwin.dot(type, w.baseAddress!, a.baseAddress!, count: count) }
                }
                #expect(mine.bitPattern == twin.bitPattern, "\(type) × \(count), seed \(seed): \(mine) vs twin \(twin)")
            }
        }
    }

    /// |kernel − reference| ≤ 1e-6·D, D = Σ_j (largest |w| in column j's block)·|xq_j|, as the
    /// fixture's README recommends for any summation order.
    @Test("Kernels agree with the scalar reference", arguments: types)
    func kernelsAgreeWithReference(type: GGMLType) throws {
        let vecDotType = try #require(type.vecDotType)
        for count in Self.lengths(type) {
            for seed in 1...4 as ClosedRange<UInt64> {
                let rows = try Self.randomRows(type, count: count, seed: seed)
                let mine = try Self.kernelDot(type, rows, count: count)
                let reference = try rows.weights.withUnsafeBytes { w in
                    try rows.activations.withUnsafeBytes { a in try dotReference(type, weightRow: w, activationRow: a, count: count) }
                }
                let w = try rows.weights.withUnsafeBytes { try dequantized(type, $0, count: count) }
                let x = try rows.activations.withUnsafeBytes { try dequantized(vecDotType, $0, count: count) }
                var bound: Double = 0
                for j in 0..<count {
                    let start = j / type.blockSize * type.blockSize
                    let blockMax = w[start..<start + type.blockSize].map { abs($0) }.max()!
                    bound += Double(blockMax) * Double(abs(x[j]))
                }
                #expect(abs(Double(mine) - Double(reference)) <= 1e-6 * bound,
                        "\(type) × \(count), seed \(seed): \(mine) vs reference \(reference), allowed \(1e-6 * bound)")
            }
        }
    }

    /// Blocks at the top of every range, against activation quants of +127: q5_K lanes pass 2²²
    /// (8 · 63 · 4 · 31 · 127), and q6_K's lane 0 passes 2²⁴ (its offset term, over sub-blocks
    /// 0 and 1 whose scales are set to −128, adds to the products instead of cancelling them),
    /// where the int-to-float conversion must round as `vcvtdq2ps` does.
    @Test("Extreme K-quant blocks equal the order twin", arguments: [GGMLType.q4_K, .q5_K, .q6_K])
    func extremeBlocks(type: GGMLType) throws {
        let count = 512
        var rows = try Self.randomRows(type, count: count, seed: 2)
        for block in 0..<2 {
            let base = block * type.blockBytes
            let (first, end) = type == .q6_K ? (0, 208) : (4, type.blockBytes)
            for i in base + first..<base + end { rows.weights[i] = 0xFF }
            if type == .q6_K {
                for s in 0..<16 { rows.weights[base + 192 + s] = s < 2 ? 0x80 : 0x7F }
            }
        }
        let x = [Float](repeating: -1, count: count)
        try x.withUnsafeBufferPointer { src in try rows.activations.withUnsafeMutableBytes { try quantizeActivation(.q8_K, src, into: $0) } }
        let mine = try Self.kernelDot(type, rows, count: count)
        let twin = rows.weights.withUnsafeBytes { w in
            rows.activations.withUnsafeBytes { a in DotOrderTwin.dot(type, w.baseAddress!, a.baseAddress!, count: count) }
        }
        #expect(mine.bitPattern == twin.bitPattern, "\(type): \(mine) vs twin \(twin)")
    }
}
