import GGUF
import Kernels
import Models
import TestSupport
import Testing

/// The engine against llama.cpp's recorded outputs (shared/fixtures/reference): top-20 logits at
/// position 0 and greedy continuations, for every logits case of each model.
@Suite("Fidelity to llama.cpp", .serialized)
struct FidelityTests {
    static let models: [TestModel] = [.smollm2, .gemma3, .qwen25, .tinyDeepSeekF16, .tinyDeepSeekQ8_0, .tinyDeepSeekQ4_K_M]

    static func argmax(_ row: UnsafeBufferPointer<Float>) -> Int32 {
        var best = 0
        for i in 1..<row.count where row[i] > row[best] { best = i }
        return Int32(best)
    }

    @Test(arguments: models)
    func logitsAndGreedyContinuations(model: TestModel) throws {
        try #require(model.shouldTest, "\(model.path) missing")
        let file = try GGUFFile(path: model.path)
        let lm = try Architectures.load(file)
        let fixture = try ReferenceFixture.load(model)
        let pool = ThreadPool(threads: 2)
        for c in fixture.logits {
            let state = lm.makeState(contextSize: 512, batchSize: 512, pool: pool)
            let logits = try lm.forward(c.prompt_tokens, state: state, allLogits: true)
            let vocab = lm.vocabularySize
            // Position 0: the same top-20 ids, each logit within 1e-2 × |top-1 logit|.
            let first = c.positions[0]
            let row = UnsafeBufferPointer(rebasing: logits[0..<vocab])
            let tolerance = 1e-2 * abs(first.top[0][1])
            let ours = (0..<vocab).sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }.prefix(20)
            #expect(Array(ours) == first.top.map { Int($0[0]) }, "\(model) \(c.id): top-20 ids at position 0")
            for entry in first.top {
                let diff = abs(Double(row[Int(entry[0])]) - entry[1])
                #expect(diff <= tolerance, "\(model) \(c.id): token \(Int(entry[0])) logit off by \(diff)")
            }
            // Every stored position: the same top-1 wherever llama.cpp's own margin is clear.
            for p in c.positions where p.top[0][1] - p.top[1][1] >= 0.5 {
                let r = UnsafeBufferPointer(rebasing: logits[(p.pos * vocab)..<((p.pos + 1) * vocab)])
                #expect(Self.argmax(r) == Int32(p.top[0][0]), "\(model) \(c.id): top-1 at position \(p.pos)")
            }
            // Greedy continuation, each token decoded alone as refdump does.
            var next = Self.argmax(UnsafeBufferPointer(rebasing: logits[((c.prompt_tokens.count - 1) * vocab)...]))
            var generated: [Int32] = []
            for _ in 0..<c.greedy.comparableSteps() {
                generated.append(next)
                next = Self.argmax(UnsafeBufferPointer(try lm.forward([next], state: state, allLogits: false)))
            }
            #expect(generated == Array(c.greedy.tokens.prefix(generated.count)), "\(model) \(c.id): greedy continuation")
        }
    }
}
