#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import GGUF
import Kernels

/// `tern bench-kernels`: the speed of `MatMul.multiply` for each weight type, decode-shaped (one
/// token: GB/s of weights streamed, against `tern bench-memory`) and prefill-shaped (many tokens:
/// GFLOP/s). Decode cycles through enough copies of the matrix to exceed the last-level cache,
/// so its weights come from DRAM as a model's do.
struct BenchKernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-kernels",
        abstract: "Measure MatMul speed per weight type (decode GB/s, prefill GFLOP/s).")

    @Option(help: "Weight types, comma-separated.")
    var types = "f32,f16,q4_0,q4_1,q5_0,q8_0,q4_K,q5_K,q6_K"

    @Option(help: "Weight matrix rows (outputs).")
    var rows = 4096

    @Option(help: "Weight matrix columns (inputs).")
    var cols = 4096

    @Option(help: "Tokens in the prefill-shaped matmul (0 skips it).")
    var tokens = 512

    @Option(name: .shortAndLong, help: "Thread counts, comma-separated.")
    var threads = "1,2"

    @Option(help: "Weight bytes the decode test cycles through, in MiB (well above the last-level cache).")
    var decodeMebibytes = 256

    @Option(name: .shortAndLong, help: "Repetitions of each test; the fastest is reported.")
    var repetitions = 3

    func run() throws {
        let weightTypes = try types.split(separator: ",").map { name in
            guard let type = GGMLType.allCases.first(where: { $0.name == name }) else {
                throw ValidationFailure(message: "unknown type \(name)")
            }
            return type
        }
        let threadCounts = threads.split(separator: ",").compactMap { Int($0) }
        print("type   matrix       threads  test                      ms     GB/s   GFLOP/s")
        for type in weightTypes {
            guard let rowBytes = type.byteCount(values: cols) else {
                throw ValidationFailure(message: "\(type): \(cols) columns is not a whole number of blocks")
            }
            let matrixBytes = rowBytes * rows
            let copies = max(1, (decodeMebibytes << 20) / matrixBytes)
            let weights = UnsafeMutableRawPointer.allocate(byteCount: matrixBytes * copies, alignment: 64)
            defer { weights.deallocate() }
            var rng = BenchmarkRandom(seed: 1)
            fillRandomWeights(type, weights, rows: rows * copies, rowBytes: rowBytes, rng: &rng)
            let matrices = try (0..<copies).map { copy in
                try failing { try WeightMatrix(type: type, rows: rows, cols: cols, data: weights + copy * matrixBytes) }
            }
            let x = (0..<max(1, tokens) * cols).map { _ in Float.random(in: -1...1, using: &rng) }
            var y = [Float](repeating: 0, count: max(1, tokens) * rows)
            let shape = "\(rows)×\(cols)"
            for count in threadCounts {
                let pool = ThreadPool(threads: count)
                let scratch = MatMulScratch()
                func multiply(_ matrix: WeightMatrix, tokens: Int) {
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { yp in
                            MatMul.multiply(matrix, xp.baseAddress!, tokens: tokens, into: yp.baseAddress!, pool: pool, scratch: scratch)
                        }
                    }
                }
                let decode = best(of: repetitions) { for matrix in matrices { multiply(matrix, tokens: 1) } } / Double(copies)
                report(type, shape, count, "decode 1 token", seconds: decode, bytes: matrixBytes, flops: 2 * rows * cols)
                if tokens > 0 {
                    let prefill = best(of: repetitions) { multiply(matrices[0], tokens: tokens) }
                    report(type, shape, count, "prefill \(tokens) tokens", seconds: prefill, bytes: matrixBytes, flops: 2 * rows * cols * tokens)
                }
            }
        }
    }

    private func report(_ type: GGMLType, _ shape: String, _ threads: Int, _ test: String, seconds: Double, bytes: Int, flops: Int) {
        func column(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        func fixed(_ value: Double, _ width: Int) -> String {
            let text = String((value * 100).rounded() / 100)
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        print(column(type.name, 7) + column(shape, 13) + column(String(threads), 9) + column(test, 20)
              + fixed(seconds * 1e3, 9) + fixed(Double(bytes) / seconds / 1e9, 9) + fixed(Double(flops) / seconds / 1e9, 10))
    }

    /// The fastest of `count` runs of `body` after one warm-up, in seconds.
    private func best(of count: Int, _ body: () -> Void) -> Double {
        body()
        var fastest = Double.infinity
        for _ in 0..<max(1, count) {
            let t0 = now()
            body()
            fastest = min(fastest, now() - t0)
        }
        return fastest
    }

    /// Random quants with sane f16 scale fields (small, finite), so no float work is on
    /// subnormals or NaNs; float types get values in -1...1.
    private func fillRandomWeights(_ type: GGMLType, _ p: UnsafeMutableRawPointer, rows: Int, rowBytes: Int, rng: inout BenchmarkRandom) {
        let bytes = rows * rowBytes
        switch type {
        case .f32:
            for i in 0..<bytes / 4 { p.storeBytes(of: Float.random(in: -1...1, using: &rng), toByteOffset: 4 * i, as: Float.self) }
        case .f16, .bf16:
            for i in 0..<bytes / 2 {
                let value = Float.random(in: -1...1, using: &rng)
                p.storeBytes(of: type == .f16 ? value.fp16Bits : value.bf16Bits, toByteOffset: 2 * i, as: UInt16.self)
            }
        default:
            for i in 0..<bytes / 8 { p.storeBytes(of: rng.next(), toByteOffset: 8 * i, as: UInt64.self) }
            for block in 0..<bytes / type.blockBytes {
                for offset in halfFieldOffsets(type) {
                    p.storeBytes(of: Float.random(in: 0.001...0.01, using: &rng).fp16Bits, toByteOffset: block * type.blockBytes + offset, as: UInt16.self)
                }
            }
        }
    }

    /// Where each block type keeps its f16 scale fields (ggml's block layouts).
    private func halfFieldOffsets(_ type: GGMLType) -> [Int] {
        switch type {
        case .q4_0, .q5_0, .q8_0, .iq4_nl: [0]
        case .q4_1, .q5_1, .q4_K, .q5_K: [0, 2]
        case .q6_K: [208]
        case .q2_K: [80, 82]
        case .q3_K: [108]
        case .iq4_xs: [0]
        default: []
        }
    }

    private func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// A small fast generator for benchmark data (SplitMix64).
private struct BenchmarkRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
