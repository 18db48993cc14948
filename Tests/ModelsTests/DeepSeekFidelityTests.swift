import GGUF
import Kernels
import Models
import TestSupport
import Testing

/// The tiny DeepSeek-R1-architecture files (MLA + grouped sigmoid MoE) against llama.cpp beyond
/// the dense criteria in `FidelityTests`: the F16 file, where nothing quantizes activations, must
/// agree at every stored position and through the whole greedy continuation; the quantized files
/// must stay within the spread llama.cpp shows against itself (shared/fixtures/reference/README.md).
@Suite("DeepSeek-R1 architecture against llama.cpp", .serialized)
struct DeepSeekFidelityTests {
    /// |Δlogit| allowed on the F16 file (logits are about ±9).
    static let f16Tolerance = 2e-2

    static func argmax(_ row: UnsafeBufferPointer<Float>) -> Int {
        var best = 0
        for i in 1..<row.count where row[i] > row[best] { best = i }
        return best
    }

    static func margin(_ top: [[Double]]) -> Double { top[0][1] - top[1][1] }

    @Test(.enabled(if: TestModel.tinyDeepSeekF16.shouldTest))
    func f16AgreesAtEveryStoredPositionAndThroughoutGreedy() throws {
        let file = try GGUFFile(path: TestModel.tinyDeepSeekF16.path)
        let lm = try Architectures.load(file)
        let pool = ThreadPool(threads: 2)
        let vocab = lm.vocabularySize
        for c in try ReferenceFixture.load(.tinyDeepSeekF16).logits {
            let state = lm.makeState(contextSize: 512, batchSize: 512, pool: pool)
            let logits = try lm.forward(c.prompt_tokens, state: state, allLogits: true)
            for p in c.positions {
                let row = UnsafeBufferPointer(rebasing: logits[(p.pos * vocab)..<((p.pos + 1) * vocab)])
                #expect(Self.argmax(row) == Int(p.top[0][0]), "\(c.id): top-1 at position \(p.pos)")
                for e in p.top {
                    let diff = abs(Double(row[Int(e[0])]) - e[1])
                    #expect(diff <= Self.f16Tolerance, "\(c.id) position \(p.pos): token \(Int(e[0])) off by \(diff)")
                }
            }
            // Free-running greedy, one token per step as refdump decodes; a divergence is only
            // acceptable where llama.cpp's own top-1/top-2 margin is within our error.
            var row = UnsafeBufferPointer(rebasing: logits[((c.prompt_tokens.count - 1) * vocab)...])
            for (k, step) in c.greedy.steps.enumerated() {
                for e in step.top {
                    let diff = abs(Double(row[Int(e[0])]) - e[1])
                    #expect(diff <= Self.f16Tolerance, "\(c.id) greedy step \(k): token \(Int(e[0])) off by \(diff)")
                }
                let next = Int32(Self.argmax(row))
                guard next == c.greedy.tokens[k] else {
                    #expect(Self.margin(step.top) <= Self.f16Tolerance,
                            "\(c.id): greedy diverges at step \(k) where llama.cpp's margin is \(Self.margin(step.top))")
                    break
                }
                row = UnsafeBufferPointer(try lm.forward([next], state: state, allLogits: false))
            }
        }
        withExtendedLifetime(file) {}
    }

    /// Stored-position logits of the quantized files within llama.cpp's spread against itself
    /// (flash attention or an F32 cache): median |Δ| ≤ 0.5, max ≤ 2, and the same top-1 wherever
    /// llama.cpp's margin exceeds our largest difference.
    @Test(arguments: [TestModel.tinyDeepSeekQ8_0, .tinyDeepSeekQ4_K_M])
    func quantizedStoredPositionsStayWithinLlamaCppsOwnSpread(model: TestModel) throws {
        try #require(model.shouldTest, "\(model.path) missing")
        let file = try GGUFFile(path: model.path)
        let lm = try Architectures.load(file)
        let pool = ThreadPool(threads: 2)
        let vocab = lm.vocabularySize
        for c in try ReferenceFixture.load(model).logits {
            let state = lm.makeState(contextSize: 512, batchSize: 512, pool: pool)
            let logits = try lm.forward(c.prompt_tokens, state: state, allLogits: true)
            var diffs: [Double] = []
            for p in c.positions {
                let row = UnsafeBufferPointer(rebasing: logits[(p.pos * vocab)..<((p.pos + 1) * vocab)])
                let rowDiffs = p.top.map { abs(Double(row[Int($0[0])]) - $0[1]) }
                if Self.margin(p.top) > 2 * rowDiffs.max()! {
                    #expect(Self.argmax(row) == Int(p.top[0][0]), "\(model) \(c.id): top-1 at position \(p.pos)")
                }
                diffs += rowDiffs
            }
            diffs.sort()
            #expect(diffs[diffs.count / 2] <= 0.5 && diffs.last! <= 2, "\(model) \(c.id): median \(diffs[diffs.count / 2]), max \(diffs.last!)")
        }
        withExtendedLifetime(file) {}
    }
}
