import Sampling
import Testing

@Suite("Greedy decoding (temperature ≤ 0)")
struct GreedyTests {
    static func greedy(_ values: [Float], temperature: Float = 0,
                       adjust: (inout SamplingOptions) -> Void = { _ in }) throws -> Int32 {
        var options = SamplingOptions()
        options.temperature = temperature
        adjust(&options)
        let sampler = try Sampler(options: options, vocabularySize: values.count)
        return withBuffer(values) { sampler.sample(logits: $0) }
    }

    @Test("Picks the largest logit", arguments: [0, -1, -Float.infinity])
    func argmax(temperature: Float) throws {
        #expect(try Self.greedy([0.5, -2, 3.25, 3.0, 1], temperature: temperature) == 2)
        #expect(try Self.greedy([-5, -4, -7], temperature: temperature) == 1)
    }

    @Test("Ties go to the lowest id, with and without the truncation chain")
    func tiesGoToLowestID() throws {
        let values: [Float] = [1, 4, 2, 4, 4, -1]
        #expect(try Self.greedy(values) == 1)
        // typical_p forces the candidate chain (top_k's selection, then the best survivor).
        #expect(try Self.greedy(values) { $0.typicalP = 0.999 } == 1)
        // Across blocks of the vectorised scan, and in its scalar tail.
        var long = [Float](repeating: 0, count: 1000)
        for id in [998, 500, 37] { long[id] = 2 }
        #expect(try Self.greedy(long) == 37)
        long[998] = 3
        #expect(try Self.greedy(long) == 998)
    }

    @Test("Greedy ignores the seed: every seed gives the same tokens")
    func ignoresSeed() throws {
        let values: [Float] = (0..<300).map { Float(($0 * 7919) % 1009) / 100 }
        let expected = try #require(referenceRanking(values).first)
        for seed in [-1, 0, 1, 42, 123_456_789] {
            let options = untruncatedOptions(seed: seed, temperature: 0)
            #expect(try draws(20, from: values, options: options) == Array(repeating: expected, count: 20))
        }
    }

    @Test("Greedy applies the penalties first")
    func penalisedArgmax() throws {
        var options = SamplingOptions()
        options.temperature = 0
        options.repeatPenalty = 1.5
        let sampler = try Sampler(options: options, vocabularySize: 2)
        #expect(withBuffer([1.0, 0.9]) { sampler.sample(logits: $0) } == 0)
        sampler.accept(0)
        // 1.0 / 1.5 ≈ 0.67 now loses to 0.9.
        #expect(withBuffer([1.0, 0.9]) { sampler.sample(logits: $0) } == 1)
    }

    @Test("With typical_p, greedy takes the best typical token, as llama.cpp's chain does")
    func typicalCanOverruleArgmax() throws {
        // See TruncationTests.typical: at p = 0.45 only tokens 1 and 2 survive.
        let values = logits(fromProbabilities: [0.4, 0.3, 0.2, 0.1])
        #expect(try Self.greedy(values) == 0)
        #expect(try Self.greedy(values) { $0.typicalP = 0.45 } == 1)
    }
}
