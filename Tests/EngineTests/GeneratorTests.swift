import Engine
import Models
import Sampling
import TestSupport
import Testing

/// The generation loop on a real model (SmolLM2): stops, limits, seeds, context errors, cancellation.
@Suite("Generator", .serialized)
struct GeneratorTests {
    static let model = TestModel.smollm2

    static func load() throws -> LoadedModel {
        try LoadedModel(path: model.path, threads: 2)
    }

    static func run(_ loaded: LoadedModel, _ prompt: String, _ configure: (inout RunOptions) throws -> Void) throws -> (String, GenerationStats) {
        var options = RunOptions()
        try configure(&options)
        let g = Generator(loaded, options: options)
        var text = ""
        let stats = try g.generate(prompt: g.tokenize(prompt)) { text += $0; return true }
        return (text, stats)
    }

    @Test(.enabled(if: model.shouldTest))
    func greedyContinuationIsTheReferenceOne() throws {
        let loaded = try Self.load()
        let (text, stats) = try Self.run(loaded, "The capital of France is") {
            $0.sampling.temperature = 0
            $0.sampling.numPredict = 3
        }
        #expect(text == " Paris.\n")
        #expect(stats.generatedTokens == 3 && stats.promptTokens == 5 && stats.doneReason == .length)
        #expect(stats.promptDuration > 0 && stats.generationDuration > 0 && stats.totalDuration >= stats.promptDuration)
    }

    @Test(.enabled(if: model.shouldTest))
    func stopStringEndsGenerationAndIsNotReturned() throws {
        let loaded = try Self.load()
        let (text, stats) = try Self.run(loaded, "The capital of France is") {
            $0.sampling.temperature = 0
            $0.sampling.numPredict = 20
            $0.sampling.stop = ["aris"]
        }
        #expect(text == " P")
        #expect(stats.doneReason == .stop)
    }

    @Test(.enabled(if: model.shouldTest))
    func sameSeedSameOutput() throws {
        let loaded = try Self.load()
        let configure: (inout RunOptions) -> Void = {
            $0.sampling.seed = 1234
            $0.sampling.temperature = 1.0
            $0.sampling.numPredict = 8
        }
        let a = try Self.run(loaded, "Once upon a time", configure).0
        let b = try Self.run(loaded, "Once upon a time", configure).0
        #expect(a == b && !a.isEmpty)
    }

    @Test(.enabled(if: model.shouldTest))
    func promptLongerThanContextIsAClearError() throws {
        let loaded = try Self.load()
        let long = String(repeating: "word ", count: 100)
        #expect(throws: ModelError.self) {
            _ = try Self.run(loaded, long) { $0.sampling.numCtx = 16 }
        }
        do {
            _ = try Self.run(loaded, long) { $0.sampling.numCtx = 16 }
        } catch {
            #expect("\(error)".contains("does not fit the context of 16 tokens"))
        }
    }

    @Test(.enabled(if: model.shouldTest))
    func emitReturningFalseCancels() throws {
        let loaded = try Self.load()
        var options = RunOptions()
        options.sampling.temperature = 0
        options.sampling.numPredict = 50
        let g = Generator(loaded, options: options)
        var pieces = 0
        let stats = try g.generate(prompt: g.tokenize("Hello")) { _ in pieces += 1; return pieces < 2 }
        #expect(stats.doneReason == .cancelled && pieces == 2 && stats.generatedTokens == 2)
    }
}

@Suite("KV cache types", .serialized)
struct KVCacheTypeTests {
    @Test(.enabled(if: GeneratorTests.model.shouldTest), arguments: KVCacheType.allCases)
    func everyTypeGivesTheSameGreedyStart(type: KVCacheType) throws {
        let loaded = try GeneratorTests.load()
        let (text, _) = try GeneratorTests.run(loaded, "The capital of France is") {
            $0.sampling.temperature = 0
            $0.sampling.numPredict = 3
            $0.kvCacheType = type
        }
        #expect(text == " Paris.\n")
    }

    @Test(.enabled(if: GeneratorTests.model.shouldTest))
    func bytesPerTokenFollowTheType() throws {
        let loaded = try GeneratorTests.load()
        func bytes(_ type: KVCacheType) throws -> Int {
            try loaded.model.makeState(contextSize: 8, batchSize: 8, pool: loaded.pool, cacheType: type).cacheBytes / 8
        }
        // SmolLM2: 30 layers × (K + V) × 3 KV heads × 64 values.
        let values = 30 * 2 * 3 * 64
        #expect(try bytes(.f16) == values * 2)
        #expect(try bytes(.f32) == values * 4)
        #expect(try bytes(.q8_0) == values / 32 * 34)
    }

    @Test(.enabled(if: TestModel.tinyDeepSeekQ8_0.shouldTest))
    func mlaRefusesQuantizedCacheClearly() throws {
        let loaded = try LoadedModel(path: TestModel.tinyDeepSeekQ8_0.path, threads: 1)
        #expect(throws: ModelError.unsupportedCacheType("q8_0", reason: "the compressed MLA cache of deepseek2 is kept in f16")) {
            _ = try loaded.model.makeState(contextSize: 8, batchSize: 8, pool: loaded.pool, cacheType: .q8_0)
        }
    }
}
