import GGUF
import Kernels
import Models
import TestSupport
import Testing

/// The mixture-of-experts layer reads only chosen experts, and a batch reads each chosen expert
/// once however many of its tokens chose it, without changing any result.
@Suite("MoE expert reads", .serialized)
struct MoEExpertReadTests {
    /// Byte counts from the file's tensor directory: (routed experts' total, one routed expert, shared experts), per MoE block.
    static func expertBytes(_ file: GGUFFile) -> [(routed: Int, one: Int, shared: Int)] {
        (1...3).map { l in
            let routed = ["gate", "up", "down"].reduce(0) { $0 + file.tensor(named: "blk.\(l).ffn_\($1)_exps.weight")!.byteCount }
            let shared = ["gate", "up", "down"].reduce(0) { $0 + file.tensor(named: "blk.\(l).ffn_\($1)_shexp.weight")!.byteCount }
            return (routed, routed / 8, shared)
        }
    }

    static let prompt: [Int32] = (0..<48).map { Int32(($0 * 7919 + 13) % 150_000) }

    @Test(arguments: [TestModel.tinyDeepSeekQ8_0, .tinyDeepSeekQ4_K_M])
    func decodeReadsTheUsedAndSharedExpertsOnly(model: TestModel) throws {
        try #require(model.shouldTest, "\(model.path) missing")
        let file = try GGUFFile(path: model.path)
        let lm = try #require(try Architectures.load(file) as? any MoEStatistics)
        let bytes = Self.expertBytes(file)
        #expect(lm.expertWeightBytes == bytes.reduce(0) { $0 + $1.routed + $1.shared })
        let perToken = bytes.reduce(0) { $0 + 2 * $1.one + $1.shared }
        // (2 used + 1 shared) / (8 + 1) of every block's expert bytes.
        #expect(abs(lm.expectedExpertFraction - 3.0 / 9.0) < 1e-12)
        #expect(abs(Double(perToken) - lm.expectedExpertFraction * Double(lm.expertWeightBytes)) < 1)

        let state = lm.makeState(contextSize: 64, batchSize: 64, pool: ThreadPool(threads: 2))
        for (i, token) in Self.prompt.prefix(5).enumerated() {
            _ = try lm.forward([token], state: state, allLogits: false)
            #expect(state.expertBytesRead == (i + 1) * perToken)
        }
        withExtendedLifetime(file) {}
    }

    @Test(.enabled(if: TestModel.tinyDeepSeekQ8_0.shouldTest))
    func aBatchReadsEachChosenExpertOnce() throws {
        let file = try GGUFFile(path: TestModel.tinyDeepSeekQ8_0.path)
        let lm = try #require(try Architectures.load(file) as? any MoEStatistics)
        let state = lm.makeState(contextSize: 64, batchSize: 64, pool: ThreadPool(threads: 2))
        _ = try lm.forward(Self.prompt, state: state, allLogits: false)
        // Every routed expert of this file has the same size, so the bytes count expert reads.
        // Ungrouped, 48 tokens × 2 experts would be 96 reads per block; grouped, at most all 8.
        let bytes = Self.expertBytes(file)
        let routedRead = state.expertBytesRead - bytes.reduce(0) { $0 + $1.shared }
        #expect(Set(bytes.map(\.one)).count == 1 && routedRead % bytes[0].one == 0)
        #expect((7...24).contains(routedRead / bytes[0].one))
        withExtendedLifetime(file) {}
    }

    /// Grouping a batch by expert must not change anything: one batch, smaller batches and one
    /// token at a time give the same bits.
    @Test(arguments: [TestModel.tinyDeepSeekF16, .tinyDeepSeekQ4_K_M])
    func batchedPrefillEqualsTokenByTokenDecode(model: TestModel) throws {
        try #require(model.shouldTest, "\(model.path) missing")
        let file = try GGUFFile(path: model.path)
        let lm = try Architectures.load(file)
        let pool = ThreadPool(threads: 2), vocab = lm.vocabularySize
        let whole = lm.makeState(contextSize: 64, batchSize: 64, pool: pool)
        let batched = Array(try lm.forward(Self.prompt, state: whole, allLogits: true))
        let chunked = lm.makeState(contextSize: 64, batchSize: 7, pool: pool)
        #expect(differingValues(try lm.forward(Self.prompt, state: chunked, allLogits: true), batched) == 0)
        let single = lm.makeState(contextSize: 64, batchSize: 64, pool: pool)
        for (t, token) in Self.prompt.enumerated() {
            let row = try lm.forward([token], state: single, allLogits: false)
            #expect(differingValues(row, batched[(t * vocab)..<((t + 1) * vocab)]) == 0, "\(model): position \(t)")
        }
        withExtendedLifetime(file) {}
    }
}
