import GGUF
import Kernels
import Models
import TestSupport
import Testing

/// Pooled embeddings from the shared forward body: chunking, poolings, declared metadata.
@Suite("Embeddings", .serialized)
struct EmbeddingTests {
    static let models: [TestModel] = [.smollm2, .tinyDeepSeekF16]

    /// A prompt several batches long: the reference prompts of the model, back to back.
    static func longPrompt(_ model: TestModel) throws -> [Int32] {
        try ReferenceFixture.load(model).logits.flatMap(\.prompt_tokens)
    }

    @Test(arguments: models)
    func chunksSmallerThanThePromptGiveTheOneBatchVector(model: TestModel) throws {
        try #require(model.shouldTest, "\(model.path) missing")
        let file = try GGUFFile(path: model.path)
        let lm = try Architectures.load(file)
        let pool = ThreadPool(threads: 2)
        let tokens = try Self.longPrompt(model)
        for pooling in [PoolingType.mean, .cls, .last] {
            let whole = try lm.embed(tokens, state: lm.makeState(contextSize: tokens.count, batchSize: tokens.count, pool: pool), pooling: pooling)
            // 7 divides neither the prompt length nor the one-token decode path's width.
            let chunked = try lm.embed(tokens, state: lm.makeState(contextSize: tokens.count, batchSize: 7, pool: pool), pooling: pooling)
            #expect(tokens.count > 2 * 7 && whole.count == lm.embeddingLength)
            // Rows are computed independently of their batch (activations quantize per row, attention
            // reads the cache), so chunking changes nothing.
            #expect(chunked == whole, "\(model) \(pooling): chunked prompt differs")
        }
        withExtendedLifetime(file) {}
    }

    @Test(.enabled(if: TestModel.smollm2.shouldTest))
    func meanIsTheAverageOfEveryPrefixsLastTokenState() throws {
        // Causal attention: the state of token i is the last-token embedding of the prefix 0...i.
        let file = try GGUFFile(path: TestModel.smollm2.path)
        let lm = try Architectures.load(file)
        let pool = ThreadPool(threads: 2)
        let tokens: [Int32] = [504, 2365, 6354, 16438, 27003]
        let mean = try lm.embed(tokens, state: lm.makeState(contextSize: 8, batchSize: 8, pool: pool), pooling: .mean)
        var sum = [Double](repeating: 0, count: lm.embeddingLength)
        for n in 1...tokens.count {
            let last = try lm.embed(Array(tokens[..<n]), state: lm.makeState(contextSize: 8, batchSize: 8, pool: pool), pooling: .last)
            for i in sum.indices { sum[i] += Double(last[i]) }
        }
        let maxDiff = zip(mean, sum).map { abs(Double($0) - $1 / Double(tokens.count)) }.max()!
        #expect(maxDiff <= 1e-5, "mean off the prefix average by \(maxDiff)")
        withExtendedLifetime(file) {}
    }

    @Test(.enabled(if: TestModel.smollm2.shouldTest))
    func declaredMetadataAndRefusals() throws {
        let file = try GGUFFile(path: TestModel.smollm2.path)
        let lm = try Architectures.load(file)
        let pool = ThreadPool(threads: 1)
        #expect(lm.declaredPooling == nil && lm.embeddingLength == 576)
        for pooling in [PoolingType.none, .rank] {
            #expect {
                _ = try lm.embed([504], state: lm.makeState(contextSize: 4, batchSize: 4, pool: pool), pooling: pooling)
            } throws: { error in
                guard case .unsupportedPooling(pooling, _) = error as? ModelError else { return false }
                return "\(error)".hasPrefix("pooling \(pooling) is not supported")
            }
        }
        #expect(throws: ModelError.promptTooLong(tokens: 5, context: 4)) {
            _ = try lm.embed([1, 2, 3, 4, 5], state: lm.makeState(contextSize: 4, batchSize: 4, pool: pool), pooling: .last)
        }
        withExtendedLifetime(file) {}
    }
}
