import GGUF
import Kernels
import Models
import TestSupport
import Testing

/// One decode step for several sequences at once (continuous batching) must give each sequence
/// the very logits it gets decoding alone, whatever its length and its neighbours.
@Suite("Several sequences in one pass", .serialized)
struct SequenceBatchTests {
    static let models: [TestModel] = [.smollm2, .gemma3, .qwen25, .tinyDeepSeekQ4_K_M]

    @Test(arguments: models)
    func eachSequenceGetsItsSoloLogits(model: TestModel) throws {
        try #require(model.shouldTest, "\(model.path) missing")
        let file = try GGUFFile(path: model.path)
        let lm = try Architectures.load(file)
        let pool = ThreadPool(threads: 2), vocab = lm.vocabularySize
        // Four sequences of different lengths (one empty), so positions and caches differ per token.
        let prompts: [[Int32]] = [
            (0..<11).map { Int32(($0 * 7919 + 13) % 5000 + 100) },
            [],
            (0..<3).map { Int32(($0 * 104_729 + 7) % 5000 + 100) },
            (0..<20).map { Int32(($0 * 31 + 1) % 5000 + 100) },
        ]
        let steps: [[Int32]] = (0..<3).map { s in (0..<prompts.count).map { Int32(200 + 17 * s + $0) } }
        func state() -> ModelState { lm.makeState(contextSize: 64, batchSize: 8, pool: pool) }

        var solo: [[[Float]]] = []  // [sequence][step] logits
        for (i, prompt) in prompts.enumerated() {
            let s = state()
            if !prompt.isEmpty { _ = try lm.forward(prompt, state: s, allLogits: false) }
            solo.append(try steps.map { Array(try lm.forward([$0[i]], state: s, allLogits: false)) })
        }
        let states = prompts.map { _ in state() }
        for (s, prompt) in zip(states, prompts) where !prompt.isEmpty { _ = try lm.forward(prompt, state: s, allLogits: false) }
        for (step, tokens) in steps.enumerated() {
            let logits = Array(try lm.forward(oneTokenEach: tokens, states: states))
            #expect(logits.count == tokens.count * vocab)
            for i in 0..<tokens.count {
                #expect(differingValues(logits[(i * vocab)..<((i + 1) * vocab)], solo[i][step]) == 0, "\(model): sequence \(i), step \(step)")
            }
        }
        #expect(states.map(\.position) == prompts.map { $0.count + steps.count })
        withExtendedLifetime(file) {}
    }

    @Test(.enabled(if: TestModel.tinyDeepSeekQ4_K_M.shouldTest))
    func badBatchesAreRefused() throws {
        let file = try GGUFFile(path: TestModel.tinyDeepSeekQ4_K_M.path)
        let lm = try Architectures.load(file)
        let pool = ThreadPool(threads: 1)
        let a = lm.makeState(contextSize: 4, batchSize: 2, pool: pool), b = lm.makeState(contextSize: 4, batchSize: 2, pool: pool)
        #expect(throws: ModelError.self) { try lm.forward(oneTokenEach: [1, 2], states: [a, a]) }
        #expect(throws: ModelError.self) { try lm.forward(oneTokenEach: [1], states: [a, b]) }
        let c = lm.makeState(contextSize: 4, batchSize: 2, pool: pool)
        #expect(throws: ModelError.self) { try lm.forward(oneTokenEach: [1, 2, 3], states: [a, b, c]) }
        _ = try lm.forward([1, 2, 3, 4], state: a, allLogits: false)
        #expect(throws: ModelError.self) { try lm.forward(oneTokenEach: [5, 6], states: [a, b]) }
        #expect(b.position == 0)
        withExtendedLifetime(file) {}
    }
}
