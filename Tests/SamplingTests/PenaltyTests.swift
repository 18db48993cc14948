@testable import Sampling
import Testing

@Suite("Repeat, frequency and presence penalties")
struct PenaltyTests {
    static func options(lastN: Int = 64, repeat: Float = 1, frequency: Float = 0, presence: Float = 0,
                        numCtx: Int = 4096) -> SamplingOptions {
        var options = SamplingOptions()
        options.repeatLastN = lastN
        options.repeatPenalty = `repeat`
        options.frequencyPenalty = frequency
        options.presencePenalty = presence
        options.numCtx = numCtx
        return options
    }

    static func penalised(_ values: [Float], history: [Int32], options: SamplingOptions) throws -> [Float] {
        var penalties = try #require(RepetitionPenalties(options: options))
        for token in history { penalties.record(token) }
        return withBuffer(values) { logits in
            penalties.apply(to: logits)
            return Array(logits)
        }
    }

    static let values: [Float] = [2, -1, 0.5, 3, 0]

    @Test("Hand-computed: repeat divides positive and multiplies non-positive logits, then count-based terms")
    func handComputed() throws {
        // Counts: 0 → 2, 1 → 1, 3 → 1, 4 → 1. Penalty per token: count × 0.5 + 0.25.
        //   0:  2 / 2 − 1.25 = −0.25    1: −1 × 2 − 0.75 = −2.75    2: untouched
        //   3:  3 / 2 − 0.75 =  0.75    4:  0 × 2 − 0.75 = −0.75
        let result = try Self.penalised(Self.values, history: [0, 1, 0, 3, 4],
                                        options: Self.options(repeat: 2, frequency: 0.5, presence: 0.25))
        #expect(result == [-0.25, -2.75, 0.5, 0.75, -0.75])
    }

    @Test("Each penalty alone")
    func separately() throws {
        let history: [Int32] = [0, 0, 0, 1]
        #expect(try Self.penalised(Self.values, history: history, options: Self.options(repeat: 1.25))
                == [1.6, -1.25, 0.5, 3, 0])
        #expect(try Self.penalised(Self.values, history: history, options: Self.options(frequency: 0.5))
                == [0.5, -1.5, 0.5, 3, 0])
        #expect(try Self.penalised(Self.values, history: history, options: Self.options(presence: 0.5))
                == [1.5, -1.5, 0.5, 3, 0])
    }

    @Test("Only the last repeat_last_n tokens count")
    func window() throws {
        // The window of 2 holds [0, 3]: token 1 has left it, token 0 counts once.
        #expect(try Self.penalised(Self.values, history: [0, 1, 0, 3], options: Self.options(lastN: 2, frequency: 1))
                == [1, -1, 0.5, 2, 0])
        // -1 means num_ctx: a window of 3 holds [1, 0, 3].
        #expect(try Self.penalised(Self.values, history: [0, 1, 0, 3], options: Self.options(lastN: -1, frequency: 1, numCtx: 3))
                == [1, -2, 0.5, 2, 0])
        // A long history wraps the window many times.
        let long = (0..<1000).map { Int32($0 % 5) } + [2, 2]
        #expect(try Self.penalised(Self.values, history: long, options: Self.options(lastN: 4, frequency: 1))
                == [2, -1, -1.5, 2, -1])
    }

    @Test("Off when repeat_last_n is 0 or below -1, or every penalty is neutral")
    func disabled() {
        #expect(RepetitionPenalties(options: Self.options(lastN: 0, repeat: 2)) == nil)
        #expect(RepetitionPenalties(options: Self.options(lastN: -2, repeat: 2)) == nil)
        #expect(RepetitionPenalties(options: Self.options(lastN: 64)) == nil)
        #expect(RepetitionPenalties(options: Self.options(lastN: 64, presence: 0.1)) != nil)
    }

    @Test("Through the sampler: prompt tokens count, reset forgets them, out-of-vocabulary ids are ignored")
    func samplerHistory() throws {
        var options = Self.options(frequency: 10)
        options.temperature = 0
        let sampler = try Sampler(options: options, vocabularySize: 3)
        let values: [Float] = [3, 2, 1]
        func next() -> Int32 { withBuffer(values) { sampler.sample(logits: $0) } }

        sampler.accept(contentsOf: [-1, 3, 1_000_000])
        #expect(next() == 0)
        sampler.accept(contentsOf: [0])
        #expect(next() == 1)
        sampler.accept(1)
        #expect(next() == 2)
        sampler.reset()
        #expect(next() == 0)
    }
}
