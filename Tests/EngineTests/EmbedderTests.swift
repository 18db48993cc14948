import Engine
import Models
import Sampling
import TestSupport
import Testing

/// Ollama's embedding semantics around the model: normalization, `dimensions`, truncation, batching.
@Suite("Embedder", .serialized)
struct EmbedderTests {
    static let model = TestModel.smollm2
    static let text = "The quick brown fox jumps over the lazy dog."

    @Test
    func normalizedIsUnitLengthAndDimensionsRenormalizeThePrefix() {
        let e = Embedding(vector: [3, 4, 12], promptTokens: 1)
        let expected: [Float] = [3 / 13, 4 / 13, 12 / 13]
        #expect(zip(e.normalized(), expected).allSatisfy { abs($0 - $1) <= 1e-7 })
        // The first two of the unit vector, (3, 4)/13, renormalized: (0.6, 0.8).
        let short = e.normalized(dimensions: 2)
        #expect(short.count == 2 && abs(short[0] - 0.6) <= 1e-7 && abs(short[1] - 0.8) <= 1e-7)
        // Ollama ignores dimensions of 0 and of the full length or more.
        #expect(e.normalized(dimensions: 0) == e.normalized() && e.normalized(dimensions: 3) == e.normalized())
        #expect(e.normalized(dimensions: 7) == e.normalized())
        #expect(Embedding(vector: [0, 0], promptTokens: 1).normalized() == [0, 0])
    }

    @Test(.enabled(if: model.shouldTest))
    func realVectorTruncatedToDimensionsKeepsItsDirection() throws {
        let e = try Embedder(LoadedModel(path: Self.model.path, threads: 2)).embed(Self.text)
        let short = e.normalized(dimensions: 64)
        let prefix = Array(e.vector.prefix(64))
        let prefixNorm = prefix.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(short.count == 64)
        #expect(abs(short.reduce(0) { $0 + Double($1) * Double($1) } - 1) <= 1e-5)
        for (s, p) in zip(short, prefix) { #expect(abs(Double(s) - Double(p) / prefixNorm) <= 1e-6) }
    }

    @Test(.enabled(if: model.shouldTest))
    func defaultPoolingOfAGenerativeModelIsTheLastToken() throws {
        let embedder = Embedder(try LoadedModel(path: Self.model.path, threads: 2))
        #expect(embedder.pooling == .last)
        #expect(embedder.tokenize(Self.text).count == 10)
        #expect(try embedder.embed(Self.text).promptTokens == 10)
    }

    @Test(.enabled(if: model.shouldTest))
    func batchesSmallerThanTheInputGiveTheSameVector() throws {
        let loaded = try LoadedModel(path: Self.model.path, threads: 2)
        var small = RunOptions()
        small.numBatch = 3
        let whole = try Embedder(loaded).embed(Self.text)
        #expect(try Embedder(loaded, options: small).embed(Self.text) == whole)
    }

    @Test(.enabled(if: model.shouldTest))
    func overLongInputIsRefusedOrTruncatedToTheContext() throws {
        let loaded = try LoadedModel(path: Self.model.path, threads: 2)
        var options = RunOptions()
        options.sampling.numCtx = 6
        let refusing = Embedder(loaded, options: options, truncate: false)
        #expect(throws: EmbeddingError.inputTooLong(tokens: 10, context: 6)) { try refusing.embed(Self.text) }
        do {
            _ = try refusing.embed(Self.text)
        } catch {
            #expect(error.description == "the input length exceeds the context length")
        }
        let truncating = Embedder(loaded, options: options)
        let cut = try truncating.embed(Self.text)
        #expect(cut.promptTokens == 6)
        #expect(cut == (try truncating.embed(tokens: Array(truncating.tokenize(Self.text).prefix(6)))))
        // num_ctx never raises the limit past the trained context.
        options.sampling.numCtx = 1 << 20
        #expect(Embedder(loaded, options: options).contextLength == loaded.model.trainedContextLength)
    }

    @Test(.enabled(if: model.shouldTest))
    func emptyInputIsAClearError() throws {
        // SmolLM2's vocabulary adds no BOS, so empty text has no tokens at all.
        let embedder = Embedder(try LoadedModel(path: Self.model.path, threads: 1))
        #expect(throws: EmbeddingError.emptyInput) { try embedder.embed("") }
    }
}
