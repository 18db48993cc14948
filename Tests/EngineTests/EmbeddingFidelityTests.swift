import Engine
import Foundation
import Models
import TestSupport
import Testing

/// One llama.cpp pooled embedding (Tests/EngineTests/Fixtures/embeddings, see its README).
struct EmbeddingFixture: Decodable, CustomStringConvertible {
    let model: String
    let pooling: String
    let text: String
    let tokens: [Int32]
    let embedding: [Float]

    /// Fixture file name (without `.json`), the test model it was made from, and the agreement
    /// required: the least cosine and the largest |Δ| of the raw vectors. The llama.cpp here is an
    /// AVX2 build, whose dot products sum in another order than the AVX-512 kernels the engine
    /// copies, so quantized models cannot agree bit for bit; their bounds are twice llama.cpp's
    /// disagreement with itself on the same case (flash attention on, F32 cache or weight
    /// repacking: the README's table). A single token (cls on a vocabulary without BOS) mixes
    /// nothing through attention and agrees to print precision; the F16 file quantizes nothing.
    static let cases: [(name: String, model: TestModel, minCosine: Double, maxDiff: Double)] = [
        ("SmolLM2-135M-Instruct.Q4_1-last", .smollm2, 0.99966, 0.66),
        ("SmolLM2-135M-Instruct.Q4_1-mean", .smollm2, 0.99876, 0.57),
        ("SmolLM2-135M-Instruct.Q4_1-cls", .smollm2, 0.9999999, 1e-6),
        ("qwen2.5-coder-0.5b-instruct-last", .qwen25, 0.99924, 2.8),
        ("gemma-3-270m-q4_k_m-last", .gemma3, 0.99202, 4.9),
        ("tiny-deepseek-r1-F16-last", .tinyDeepSeekF16, 0.9999992, 4.6e-3),
        ("tiny-deepseek-r1-F16-mean", .tinyDeepSeekF16, 0.9999992, 4.6e-3),
    ]

    static func load(_ name: String) throws -> EmbeddingFixture {
        let path = TestPaths.repositoryRoot + "/Tests/EngineTests/Fixtures/embeddings/" + name + ".json"
        return try JSONDecoder().decode(EmbeddingFixture.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    var description: String { "\(model) \(pooling)" }
}

/// Cosine similarity and the largest |a − b|, in double.
func compare(_ a: [Float], _ b: [Float]) -> (cosine: Double, maxDiff: Double) {
    var dot = 0.0, aa = 0.0, bb = 0.0, maxDiff = 0.0
    for (x, y) in zip(a.map(Double.init), b.map(Double.init)) {
        dot += x * y
        aa += x * x
        bb += y * y
        maxDiff = max(maxDiff, abs(x - y))
    }
    return (dot / (aa * bb).squareRoot(), maxDiff)
}

/// Embeddings against llama.cpp's `llama-embedding` on the same text and pooling.
@Suite("Embeddings against llama.cpp", .serialized)
struct EmbeddingFidelityTests {
    @Test(arguments: EmbeddingFixture.cases.map(\.name))
    func pooledVectorMatchesLlamaCpp(name: String) throws {
        let (_, model, minCosine, maxDiff) = EmbeddingFixture.cases.first { $0.name == name }!
        try #require(model.shouldTest, "\(model.path) missing")
        let fixture = try EmbeddingFixture.load(name)
        var embedder = Embedder(try LoadedModel(path: model.path, threads: 2))
        embedder.pooling = try #require(PoolingType.allCases.first { $0.description == fixture.pooling })
        let tokens = embedder.tokenize(fixture.text)
        #expect(tokens == fixture.tokens, "\(fixture): tokens")
        let result = try embedder.embed(tokens: tokens)
        #expect(result.promptTokens == tokens.count)
        #expect(result.vector.count == fixture.embedding.count)
        let raw = compare(result.vector, fixture.embedding)
        #expect(raw.cosine >= minCosine, "\(fixture): cosine \(raw.cosine)")
        #expect(raw.maxDiff <= maxDiff, "\(fixture): max |Δ| \(raw.maxDiff)")
    }
}
