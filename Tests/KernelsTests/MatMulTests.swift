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

@Suite("MatMul over a shared input")
struct SharedInputMatMulTests {
    /// Three matrices of mixed types (three activation types) over one input, as q, k and v are:
    /// every output equals the one `MatMul.multiply` gives for its matrix alone, for one token
    /// (one quantization per activation type, one dispatch) and for three (one call per matrix).
    @Test func productsEqualSeparateMatMuls() throws {
        let cols = 512
        let shapes: [(type: GGMLType, rows: Int)] = [(.q4_1, 13), (.q8_0, 7), (.q6_K, 9)]
        // Weights, outputs and input in memory of the test's own, so the views stay valid throughout.
        var weights: [UnsafeMutableRawBufferPointer] = []
        defer { weights.forEach { $0.deallocate() } }
        for (i, shape) in shapes.enumerated() {
            let bytes = try (0..<shape.rows).flatMap { try DotKernelTests.randomRows(shape.type, count: cols, seed: UInt64(300 + 20 * i + $0)).weights }
            let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
            memory.copyBytes(from: bytes)
            weights.append(memory)
        }
        let views = try shapes.indices.map { try WeightMatrix(type: shapes[$0].type, rows: shapes[$0].rows, cols: cols, data: weights[$0].baseAddress!) }
        var rng = SeededRandom(seed: 11)
        for tokens in [1, 3] {
            let x = UnsafeMutablePointer<Float>.allocate(capacity: tokens * cols)
            defer { x.deallocate() }
            for i in 0..<tokens * cols { x[i] = Float.random(in: -3...3, using: &rng) }
            for threads in [1, 2] {
                let pool = ThreadPool(threads: threads)
                let together = shapes.map { UnsafeMutablePointer<Float>.allocate(capacity: tokens * $0.rows) }
                let alone = shapes.map { UnsafeMutablePointer<Float>.allocate(capacity: tokens * $0.rows) }
                defer { (together + alone).forEach { $0.deallocate() } }
                for i in shapes.indices {
                    together[i].initialize(repeating: .nan, count: tokens * shapes[i].rows)
                    alone[i].initialize(repeating: .nan, count: tokens * shapes[i].rows)
                }
                MatMul.multiply(shapes.indices.map { (weights: views[$0], into: together[$0]) }, x, tokens: tokens, pool: pool, scratch: MatMulScratch())
                for i in shapes.indices {
                    MatMul.multiply(views[i], x, tokens: tokens, into: alone[i], pool: pool, scratch: MatMulScratch())
                }
                for i in shapes.indices {
                    let mine = Array(UnsafeBufferPointer(start: together[i], count: tokens * shapes[i].rows))
                    let expected = Array(UnsafeBufferPointer(start: alone[i], count: tokens * shapes[i].rows))
                    #expect(zip(mine, expected).allSatisfy { $0.bitPattern == $1.bitPattern } && !mine.contains(where: \.isNaN),
                            "\(shapes[i].type), \(tokens) tokens, \(threads) threads: \(mine.prefix(3)) vs \(expected.prefix(3))")
                }
            }
        }
    }

    /// Gate and up with the SwiGLU as the finishing step, each thread on its own rows: the gated
    /// rows equal separate matmuls followed by one whole-row SwiGLU, bit for bit, including the
    /// libm tail past the last whole 16-value group (37 rows), for one token (shared dispatch) and
    /// three (separate matmuls, then the finishing step split over the threads).
    @Test func finishingStepEqualsAWholeRowPass() throws {
        let cols = 256, rows = 37
        let memory = try [UInt64(500), 600].map { seed in
            let bytes = try (0..<rows).flatMap { try DotKernelTests.randomRows(.q4_1, count: cols, seed: seed + UInt64($0)).weights }
            let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
            memory.copyBytes(from: bytes)
            return memory
        }
        defer { memory.forEach { $0.deallocate() } }
        let gate = try WeightMatrix(type: .q4_1, rows: rows, cols: cols, data: memory[0].baseAddress!)
        let up = try WeightMatrix(type: .q4_1, rows: rows, cols: cols, data: memory[1].baseAddress!)
        var rng = SeededRandom(seed: 12)
        for tokens in [1, 3] {
            let x = UnsafeMutablePointer<Float>.allocate(capacity: tokens * cols)
            defer { x.deallocate() }
            for i in 0..<tokens * cols { x[i] = Float.random(in: -3...3, using: &rng) }
            for threads in [1, 2, 3] {
                let pool = ThreadPool(threads: threads)
                let buffers = (0..<4).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: tokens * rows) }
                defer { buffers.forEach { $0.deallocate() } }
                buffers.forEach { $0.initialize(repeating: .nan, count: tokens * rows) }
                let (fusedGate, fusedUp, plainGate, plainUp) = (buffers[0], buffers[1], buffers[2], buffers[3])
                MatMul.multiply([(gate, fusedGate), (up, fusedUp)], x, tokens: tokens, pool: pool, scratch: MatMulScratch()) { part in
                    for t in 0..<tokens { Elementwise.swiGLU(fusedGate + t * rows, fusedUp + t * rows, count: rows, elements: part) }
                }
                MatMul.multiply(gate, x, tokens: tokens, into: plainGate, pool: pool, scratch: MatMulScratch())
                MatMul.multiply(up, x, tokens: tokens, into: plainUp, pool: pool, scratch: MatMulScratch())
                for t in 0..<tokens { Elementwise.swiGLU(plainGate + t * rows, plainUp + t * rows, count: rows) }
                let fused = Array(UnsafeBufferPointer(start: fusedGate, count: tokens * rows))
                let plain = Array(UnsafeBufferPointer(start: plainGate, count: tokens * rows))
                #expect(zip(fused, plain).allSatisfy { $0.bitPattern == $1.bitPattern } && !fused.contains(where: \.isNaN),
                        "\(tokens) tokens, \(threads) threads: \(fused.suffix(3)) vs \(plain.suffix(3))")
            }
        }
    }
}
