import Foundation
import GGUF
@testable import Kernels
import Testing
import TestSupport

/// The C decode kernels (DecodeKernels), each instruction set forced in turn: bit for bit
/// ggml's `vec_dot` results in quant-types.gguf, and the Swift kernels' `dot` on random rows,
/// one row per call and many (the kernels' four-row groups and their single-row tail). A CPU
/// without an instruction set skips its tests.
@Suite("C decode kernels")
struct CKernelDotTests {
    static let types: [GGMLType] = [.q4_0, .q4_1, .q5_0, .q8_0, .q4_K, .q5_K, .q6_K]

    static func runs(_ isa: DecodeISA) -> Bool { DecodeKernels.kernel(for: .q4_1, isa: isa) != nil }

    @Test("AVX2: fixture rows bit-identical to ggml", .enabled(if: runs(.avx2)), arguments: types)
    func avx2Fixture(type: GGMLType) throws { try checkFixture(type, .avx2) }

    @Test("AVX-512 VNNI: fixture rows bit-identical to ggml", .enabled(if: runs(.avx512VNNI)), arguments: types)
    func vnniFixture(type: GGMLType) throws { try checkFixture(type, .avx512VNNI) }

    @Test("AVX2: random rows bit-identical to the Swift kernels", .enabled(if: runs(.avx2)), arguments: types)
    func avx2Random(type: GGMLType) throws { try checkRandomRows(type, .avx2) }

    @Test("AVX-512 VNNI: random rows bit-identical to the Swift kernels", .enabled(if: runs(.avx512VNNI)), arguments: types)
    func vnniRandom(type: GGMLType) throws { try checkRandomRows(type, .avx512VNNI) }

    @Test("AVX2: extreme K-quant blocks bit-identical to the Swift kernels", .enabled(if: runs(.avx2)), arguments: [GGMLType.q4_K, .q5_K, .q6_K])
    func avx2Extremes(type: GGMLType) throws { try checkExtremes(type, .avx2) }

    @Test("AVX-512 VNNI: extreme K-quant blocks bit-identical to the Swift kernels", .enabled(if: runs(.avx512VNNI)),
          arguments: [GGMLType.q4_K, .q5_K, .q6_K])
    func vnniExtremes(type: GGMLType) throws { try checkExtremes(type, .avx512VNNI) }

    @Test("AVX2: several tokens bit-identical to one token at a time", .enabled(if: runs(.avx2)), arguments: tokensTypes)
    func avx2Tokens(type: GGMLType) throws { try checkTokens(type, .avx2) }

    @Test("AVX-512 VNNI: several tokens bit-identical to one token at a time", .enabled(if: runs(.avx512VNNI)),
          arguments: tokensTypes)
    func vnniTokens(type: GGMLType) throws { try checkTokens(type, .avx512VNNI) }

    @Test("AVX2: prompt tiles bit-identical to the Swift kernels", .enabled(if: runs(.avx2)), arguments: tileTypes)
    func tilesAVX2(_ type: GGMLType) throws { try checkTiles(type, .avx2) }

    @Test("AVX-512 VNNI: prompt tiles bit-identical to the Swift kernels", .enabled(if: runs(.avx512VNNI)), arguments: tileTypes)
    func tilesAVX512(_ type: GGMLType) throws { try checkTiles(type, .avx512VNNI) }

    static let tileTypes: [GGMLType] = [.q4_0, .q4_1, .q5_0, .q8_0, .q4_K, .q6_K]
    static let tokensTypes: [GGMLType] = [.q4_0, .q4_1, .q5_0, .q8_0]

    @Test("AVX2: activation quantizers byte-identical to ggml's and the Swift ones", .enabled(if: runs(.avx2)),
          arguments: [GGMLType.q8_0, .q8_1])
    func quantizeAVX2(_ type: GGMLType) throws { try checkQuantizer(type, .avx2) }

    @Test("AVX-512 VNNI: activation quantizers byte-identical to ggml's and the Swift ones", .enabled(if: runs(.avx512VNNI)),
          arguments: [GGMLType.q8_0, .q8_1])
    func quantizeAVX512(_ type: GGMLType) throws { try checkQuantizer(type, .avx512VNNI) }

    /// The fixture's activation row (ggml's own bytes for the weight types quantizing to `type`),
    /// then blocks built to hit the edges against the Swift quantizer: all zero, one value only,
    /// exact halves after scaling (ties to even), values at ±amax, huge and subnormal magnitudes,
    /// and random rows of many scales.
    func checkQuantizer(_ type: GGMLType, _ isa: DecodeISA) throws {
        let quantize = try #require(DecodeKernels.quantizer(for: type, isa: isa))
        let swift = try #require(QuantTraits.table[type]?.quantizeActivation)
        let blockBytes = type == .q8_0 ? 34 : 36
        func bytes(_ x: [Float], _ run: (UnsafePointer<Float>, UnsafeMutableRawPointer, Int) -> Void) -> [UInt8] {
            var out = [UInt8](repeating: 0xAA, count: x.count / 32 * blockBytes)
            x.withUnsafeBufferPointer { src in out.withUnsafeMutableBytes { run(src.baseAddress!, $0.baseAddress!, x.count) } }
            return out
        }
        let c: (UnsafePointer<Float>, UnsafeMutableRawPointer, Int) -> Void = { quantize($0, $1, Int32($2)) }

        let x = try QuantFixture.floats("x")
        let weightType = try #require(QuantFixture.types.first { $0.vecDotType == type })
        let ggml = Array(try QuantFixture.bytes("\(weightType.name).xq"))
        #expect(bytes(x, c).elementsEqual(ggml), "\(type): the fixture row differs from ggml's bytes")

        var blocks: [[Float]] = [
            [Float](repeating: 0, count: 32),
            (0..<32).map { $0 == 17 ? -3.5 : 0 },
            // amax 127 with half-integers: x · 127/amax lands on exact ties.
            (0..<32).map { (i: Int) -> Float in i == 0 ? 127 : Float(i) - 16.5 },
            (0..<32).map { (i: Int) -> Float in i % 3 == 0 ? 2 : (i % 3 == 1 ? -2 : Float(i) / 16) },
            (0..<32).map { (i: Int) -> Float in Float(i + 1) * 1e30 * (i % 2 == 0 ? 1 : -1) },
            (0..<32).map { (i: Int) -> Float in Float(i) * Float.leastNonzeroMagnitude * (i % 2 == 0 ? 1 : -1) },
            (0..<32).map { (i: Int) -> Float in (Float(i) - 15.5) * 0.5 },
        ]
        var rng = SeededRandom(seed: 77)
        for _ in 0..<200 {
            let scale = Float(pow(10, Double.random(in: -6...6, using: &rng)))
            blocks.append((0..<32).map { _ in Float.random(in: -1...1, using: &rng) * scale })
        }
        let row = blocks.flatMap { $0 }
        let mine = bytes(row, c), expected = bytes(row, swift)
        let differing = blocks.indices.filter { mine[$0 * blockBytes..<($0 + 1) * blockBytes] != expected[$0 * blockBytes..<($0 + 1) * blockBytes] }
        #expect(differing.isEmpty, "\(type): \(differing.count) of \(blocks.count) blocks differ, first \(differing.first ?? -1)")
    }

    @Test("The chosen instruction set has a kernel for every type listed", .enabled(if: DecodeKernels.best != nil))
    func chosenCoversTypes() {
        for type in Self.types {
            #expect(DecodeKernels.kernel(for: type) != nil, "\(type)")
        }
    }

    /// All eight fixture rows in one call (two groups of four), and each row alone.
    func checkFixture(_ type: GGMLType, _ isa: DecodeISA) throws {
        let kernel = try #require(DecodeKernels.kernel(for: type, isa: isa))
        let n = QuantFixture.rowLength, rows = QuantFixture.rowCount
        let weights = try QuantFixture.bytes("\(type.name).weight")
        let activations = try QuantFixture.bytes("\(type.name).xq")
        let ggml = try QuantFixture.floats("\(type.name).dot")
        let rowBytes = weights.count / rows
        var together = [Float](repeating: .nan, count: rows)
        kernel(Int32(n), weights.baseAddress!, rowBytes, Int32(rows), activations.baseAddress!, &together)
        for row in 0..<rows {
            var alone: Float = .nan
            kernel(Int32(n), weights.baseAddress! + row * rowBytes, rowBytes, 1, activations.baseAddress!, &alone)
            #expect(together[row].bitPattern == ggml[row].bitPattern, "\(type) \(isa) row \(row) in a group: \(together[row]) vs ggml \(ggml[row])")
            #expect(alone.bitPattern == ggml[row].bitPattern, "\(type) \(isa) row \(row) alone: \(alone) vs ggml \(ggml[row])")
        }
    }

    /// Nine random weight rows against one activation row, for each length: the kernel on all
    /// nine (rows 0, 2, 4, 6 together, then 1, 3, 5, 7, then 8 alone) and on each alone equals
    /// the Swift kernel's `dot`.
    func checkRandomRows(_ type: GGMLType, _ isa: DecodeISA) throws {
        let kernel = try #require(DecodeKernels.kernel(for: type, isa: isa))
        for count in DotKernelTests.lengths(type) {
            for seed in 1...6 as ClosedRange<UInt64> {
                let activations = try DotKernelTests.randomRows(type, count: count, seed: seed).activations
                let rows = try (0..<9 as Range<UInt64>).map { try DotKernelTests.randomRows(type, count: count, seed: seed + 2 * $0).weights }
                let rowBytes = rows[0].count
                let weights = Array(rows.joined())
                var together = [Float](repeating: .nan, count: rows.count)
                weights.withUnsafeBytes { w in
                    activations.withUnsafeBytes { a in
                        kernel(Int32(count), w.baseAddress!, rowBytes, Int32(rows.count), a.baseAddress!, &together)
                    }
                }
                for (r, row) in rows.enumerated() {
                    let swift = try row.withUnsafeBytes { w in
                        try activations.withUnsafeBytes { a in try dot(type, weightRow: w, activationRow: a, count: count) }
                    }
                    var alone: Float = .nan
                    row.withUnsafeBytes { w in
                        activations.withUnsafeBytes { a in kernel(Int32(count), w.baseAddress!, rowBytes, 1, a.baseAddress!, &alone) }
                    }
                    #expect(together[r].bitPattern == swift.bitPattern, "\(type) \(isa) × \(count), seed \(seed), row \(r) of 9: \(together[r]) vs Swift \(swift)")
                    #expect(alone.bitPattern == swift.bitPattern, "\(type) \(isa) × \(count), seed \(seed), row \(r) alone: \(alone) vs Swift \(swift)")
                }
            }
        }
    }

    /// Five random rows against 1 to 11 tokens (one group of eight and a partial one), for each
    /// length, including one past the scale table (token by token): every (row, token) result of
    /// the several-token kernel equals the one-token kernel's for that pair.
    func checkTokens(_ type: GGMLType, _ isa: DecodeISA) throws {
        let one = try #require(DecodeKernels.kernel(for: type, isa: isa))
        let several = try #require(DecodeKernels.tokensKernel(for: type, isa: isa))
        for count in DotKernelTests.lengths(type) + [16_416] {
            let rows = try (0..<5 as Range<UInt64>).map { try DotKernelTests.randomRows(type, count: count, seed: 40 + $0).weights }
            let activations = try (0..<11 as Range<UInt64>).map { try DotKernelTests.randomRows(type, count: count, seed: 90 + $0).activations }
            let rowBytes = rows[0].count, activationBytes = activations[0].count
            let weights = Array(rows.joined()), packed = Array(activations.joined())
            for tokens in [1, 2, 4, 8, 11] {
                var together = [Float](repeating: .nan, count: tokens * rows.count)
                var alone = [Float](repeating: .nan, count: tokens * rows.count)
                weights.withUnsafeBytes { w in
                    packed.withUnsafeBytes { a in
                        several(Int32(count), w.baseAddress!, rowBytes, Int32(rows.count), a.baseAddress!, activationBytes,
                                Int32(tokens), &together, rows.count)
                        for t in 0..<tokens {
                            alone.withUnsafeMutableBufferPointer { out in
                                one(Int32(count), w.baseAddress!, rowBytes, Int32(rows.count), a.baseAddress! + t * activationBytes,
                                    out.baseAddress! + t * rows.count)
                            }
                        }
                    }
                }
                #expect(zip(together, alone).allSatisfy { $0.bitPattern == $1.bitPattern } && !together.contains(where: \.isNaN),
                        "\(type) \(isa) × \(count), \(tokens) tokens: \(together.prefix(4)) vs \(alone.prefix(4))")
            }
        }
    }

    /// Blocks at the top of every range (as in DotKernelTests.extremeBlocks): lanes past 2²²
    /// and 2²⁴, where the int-to-float conversion rounds, and the largest byte products.
    func checkExtremes(_ type: GGMLType, _ isa: DecodeISA) throws {
        let kernel = try #require(DecodeKernels.kernel(for: type, isa: isa))
        let count = 512
        var rows = try DotKernelTests.randomRows(type, count: count, seed: 2)
        for block in 0..<2 {
            let base = block * type.blockBytes
            let (first, end) = type == .q6_K ? (0, 208) : (4, type.blockBytes)
            for i in base + first..<base + end { rows.weights[i] = 0xFF }
            if type == .q6_K {
                for s in 0..<16 { rows.weights[base + 192 + s] = s < 2 ? 0x80 : 0x7F }
            }
        }
        for value: Float in [-1, 1] {
            let x = [Float](repeating: value, count: count)
            try x.withUnsafeBufferPointer { src in try rows.activations.withUnsafeMutableBytes { try quantizeActivation(.q8_K, src, into: $0) } }
            let swift = try DotKernelTests.kernelDot(type, rows, count: count)
            var mine: Float = .nan
            rows.weights.withUnsafeBytes { w in
                rows.activations.withUnsafeBytes { a in kernel(Int32(count), w.baseAddress!, w.count, 1, a.baseAddress!, &mine) }
            }
            #expect(mine.bitPattern == swift.bitPattern, "\(type) \(isa), activations \(value): \(mine) vs Swift \(swift)")
        }
    }

    /// Nine weight rows (the last at the top of every range, as in `checkExtremes`) against 1 to
    /// 11 tokens (the last all ones), for each length, all unpacked and prepared by the Swift
    /// kernel: every (row, token) result of the prompt kernel (two-row × four-token tiles and
    /// their edges) equals that kernel's `dot` of the pair.
    func checkTiles(_ type: GGMLType, _ isa: DecodeISA) throws {
        let tiles = try #require(DecodeKernels.tilesKernel(for: type, isa: isa))
        let kernel = try #require(RowDotKernels.kernel(for: type))
        for count in DotKernelTests.lengths(type) {
            var rows = try (0..<9 as Range<UInt64>).map { try DotKernelTests.randomRows(type, count: count, seed: 70 + $0).weights }
            for i in rows[8].indices where type.blockSize == 256 ? (type == .q6_K ? i % 210 < 208 : i % 144 >= 4) : i % type.blockBytes >= (type == .q4_1 ? 4 : 2) {
                rows[8][i] = 0xFF
            }
            var activations = try (0..<11 as Range<UInt64>).map { try DotKernelTests.randomRows(type, count: count, seed: 20 + $0).activations }
            let ones = [Float](repeating: 1, count: count)
            try ones.withUnsafeBufferPointer { src in
                try activations[10].withUnsafeMutableBytes { try quantizeActivation(kernel.activationType, src, into: $0) }
            }
            let unpackedBytes = kernel.unpackedBytes(count: count), preparedBytes = kernel.preparedBytes(count: count)
            let unpacked = UnsafeMutableRawPointer.allocate(byteCount: rows.count * unpackedBytes, alignment: 64)
            let prepared = UnsafeMutableRawPointer.allocate(byteCount: activations.count * preparedBytes, alignment: 64)
            defer { unpacked.deallocate(); prepared.deallocate() }
            for (r, row) in rows.enumerated() {
                row.withUnsafeBytes { _ = kernel.unpack($0.baseAddress!, into: unpacked + r * unpackedBytes, count: count) }
            }
            for (t, activation) in activations.enumerated() {
                activation.withUnsafeBytes { kernel.prepare($0.baseAddress!, into: prepared + t * preparedBytes, count: count) }
            }
            for tokens in [1, 3, 4, 5, 8, 11] {
                var mine = [Float](repeating: .nan, count: tokens * rows.count)
                tiles(Int32(count), unpacked, unpackedBytes, Int32(rows.count), prepared, preparedBytes, Int32(tokens), &mine, rows.count)
                for t in 0..<tokens {
                    for r in rows.indices {
                        let swift = kernel.dot(unpacked + r * unpackedBytes, prepared + t * preparedBytes, count: count)
                        #expect(mine[t * rows.count + r].bitPattern == swift.bitPattern,
                                "\(type) \(isa) × \(count), \(tokens) tokens: row \(r) token \(t): \(mine[t * rows.count + r]) vs Swift \(swift)")
                    }
                }
            }
        }
    }
}
