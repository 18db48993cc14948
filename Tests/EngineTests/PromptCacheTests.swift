import Engine
import Models
import Sampling
import TestSupport
import Testing
import Tokenizer

/// A chat's next turn reuses the KV cache of the prefix it shares with the previous generation,
/// and produces exactly what a cold run produces.
@Suite("Prompt cache", .serialized)
struct PromptCacheTests {
    static func generate(_ g: Generator, _ prompt: [TokenID], cache: PromptCache?) throws -> (String, GenerationStats, [TokenID]) {
        var text = ""
        var ids: [TokenID] = []
        let stats = try g.generate(prompt: prompt, cache: cache, emit: { text += $0; return true }, onToken: { ids.append($0); return true })
        return (text, stats, ids)
    }

    @Test(.enabled(if: TestModel.smollm2.shouldTest), arguments: [TestModel.smollm2, TestModel.tinyDeepSeekQ8_0])
    func nextTurnReusesThePrefixAndMatchesAColdRun(model: TestModel) throws {
        guard model.shouldTest else { return }
        let loaded = try LoadedModel(path: model.path, threads: 2)
        var options = RunOptions()
        options.sampling.seed = 42
        options.sampling.numPredict = 12
        options.numBatch = 16  // several prefill chunks, so reuse lands mid-batch
        let g = Generator(loaded, options: options)
        let cache = PromptCache()
        let turn1 = g.tokenize("User: tell me a story about a small robot.\nAssistant:")
        let (_, first, reply) = try Self.generate(g, turn1, cache: cache)
        #expect(first.promptTokens == turn1.count)
        let turn2 = turn1 + reply + g.loaded.tokenizer.encode("\nUser: and then?\nAssistant:", addSpecial: false, parseSpecial: true)
        let (warm, warmStats, _) = try Self.generate(g, turn2, cache: cache)
        let (cold, coldStats, _) = try Self.generate(g, turn2, cache: nil)
        #expect(warm == cold)
        #expect(coldStats.promptTokens == turn2.count)
        // Everything up to the last forwarded token of turn 1 is reused.
        #expect(warmStats.promptTokens <= turn2.count - turn1.count - reply.count + 1)
        // The same prompt again recomputes only its last token.
        let (again, againStats, _) = try Self.generate(g, turn2, cache: cache)
        #expect(again == cold && againStats.promptTokens == 1)
        // A different prompt starts over.
        let (_, otherStats, _) = try Self.generate(g, g.tokenize("Completely different."), cache: cache)
        #expect(otherStats.promptTokens >= 2)
    }
}
