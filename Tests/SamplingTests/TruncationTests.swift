import Foundation
@testable import Sampling
import Testing
import TestSupport

/// top_k, top_p, min_p and typical_p on hand-made distributions: which tokens survive.
@Suite("Truncation stages")
struct TruncationTests {
    /// Ids 0…4 with probabilities 0.05, 0.5, 0.1, 0.15, 0.2: best first 1, 4, 3, 2, 0.
    static let five = logits(fromProbabilities: [0.05, 0.5, 0.1, 0.15, 0.2])

    @Test("top_k keeps the k best, best first, lowest ids on ties")
    func topK() {
        let values: [Float] = [0.1, 2, -1, 2, 0.5, 3]
        #expect(survivors(of: values, topK: 1) == [5])
        #expect(survivors(of: values, topK: 2) == [5, 1])
        #expect(survivors(of: values, topK: 3) == [5, 1, 3])
        #expect(survivors(of: values, topK: 6) == [5, 1, 3, 4, 0, 2])
    }

    @Test("top_k selection agrees with a full sort on random logits with many ties")
    func topKMatchesFullSort() {
        var random = SeededRandom(seed: 7)
        // Few distinct values, so ties straddle every cut.
        let values = (0..<5000).map { _ in Float(Int.random(in: 0..<200, using: &random)) / 8 }
        let reference = referenceRanking(values)
        for k in [1, 2, 7, 40, 257, 1000, 4999, 5000] {
            #expect(survivors(of: values, topK: k) == Array(reference.prefix(k)), "k = \(k)")
            #expect(survivors(of: values) { $0.active.moveBestToFront(k, of: $0.count) }.prefix(k) == reference.prefix(k), "k = \(k)")
        }
    }

    @Test("top_p keeps the fewest best tokens whose mass reaches p",
          arguments: [(0.6, [1, 4]), (0.8, [1, 4, 3]), (0.92, [1, 4, 3, 2]), (0, [1]), (1, [0, 1, 2, 3, 4])]
              as [(Float, Set<Int32>)])
    func topP(p: Float, kept: Set<Int32>) {
        #expect(Set(survivors(of: Self.five) { $0.keepTopP(p) }) == kept)
    }

    @Test("top_p after top_k")
    func topPAfterTopK() {
        #expect(Set(survivors(of: Self.five, topK: 3) { $0.keepTopP(0.99) }) == [1, 4, 3])
        #expect(Set(survivors(of: Self.five, topK: 4) { $0.keepTopP(0.6) }) == [1, 4])
    }

    @Test("top_p over a large vocabulary: peaked, and flat with ties broken by id")
    func topPLargeVocabulary() {
        // Ten tokens at logit 10 hold 99.6 % of the mass, and nine of them are not enough for 90 %.
        var peaked = [Float](repeating: 0, count: 1000)
        for id in 700..<710 { peaked[id] = 10 }
        #expect(Set(survivors(of: peaked) { $0.keepTopP(0.9) }) == Set(700..<710))
        // A flat distribution needs exactly 500 tokens for half the mass: the lowest ids.
        let flat = [Float](repeating: 0, count: 1000)
        #expect(Set(survivors(of: flat) { $0.keepTopP(0.5) }) == Set(0..<500))
    }

    @Test("The mass-bounded selection agrees with sorting, however few partitioning rounds it gets",
          arguments: [false, true])
    func massSelectionMatchesSorting(strictly: Bool) {
        var random = SeededRandom(seed: 5)
        for trial in 0..<60 {
            let count = Int.random(in: 1...3000, using: &random)
            // Coarse logits for ties, some zero weights, and targets up to beyond the total.
            let entries = (0..<count).map { id in
                Weighted(element: Candidate(id: Int32(id), logit: Float(Int.random(in: -40...40, using: &random)) / 4),
                         weight: Float(Int.random(in: 0...100, using: &random)))
            }
            let total = entries.reduce(0) { $0 + Double($1.weight) }
            let target = total * Double.random(in: -0.05...1.05, using: &random)
            var mass = 0.0
            let ranked = entries.sorted { $0.ranks(above: $1) }
            let expected = ranked.firstIndex { mass += Double($0.weight); return strictly ? mass > target : mass >= target }
                .map { $0 + 1 } ?? count
            for rounds in [nil, 0, 1, 3] as [Int?] {
                var scratch = entries
                let kept = scratch.withUnsafeMutableBufferPointer { $0.moveBestToFront(reaching: target, strictly: strictly, rounds: rounds) }
                #expect(Set(scratch[..<kept].map(\.element.id)) == Set(ranked[..<expected].map(\.element.id)),
                        "trial \(trial), rounds \(String(describing: rounds))")
            }
        }
    }

    @Test("min_p keeps tokens at least p times as likely as the best, in their order",
          arguments: [(0.25, [1, 3, 4]), (0.35, [1, 4]), (0.05, [0, 1, 2, 3, 4]), (0, [0, 1, 2, 3, 4]), (1, [1]), (5, [1])]
              as [(Float, [Int32])])
    func minP(p: Float, kept: [Int32]) {
        #expect(survivors(of: Self.five) { $0.keepMinP(p) } == kept)
    }

    // Probabilities 0.4, 0.3, 0.2, 0.1: entropy H = 1.2799 nats; |−ln p − H| = 0.364, 0.076, 0.330,
    // 1.023, so the typical order is 1, 2, 0, 3 with cumulative mass 0.3, 0.5, 0.9, 1.0.
    @Test("typical_p keeps the tokens whose surprise is closest to the entropy until the mass exceeds p",
          arguments: [(0, [1]), (0.25, [1]), (0.45, [1, 2]), (0.85, [1, 2, 0]), (0.95, [1, 2, 0, 3]), (1, [0, 1, 2, 3])]
              as [(Float, Set<Int32>)])
    func typical(p: Float, kept: Set<Int32>) {
        let values = logits(fromProbabilities: [0.4, 0.3, 0.2, 0.1])
        let scratch = UnsafeMutableBufferPointer<Weighted<TypicalRank>>.allocate(capacity: values.count)
        defer { scratch.deallocate() }
        #expect(Set(survivors(of: values) { $0.keepTypical(p, scratch: scratch) }) == kept)
    }

    @Test("The public chain never samples outside top_k ∩ top_p with Ollama's defaults")
    func defaultsStayInsideTheNucleus() throws {
        var random = SeededRandom(seed: 11)
        let values = (0..<50_000).map { _ in Float.random(in: -4...12, using: &random) }
        // Reference: the best 40, then the shortest prefix holding 90 % of their mass.
        let top40 = referenceRanking(values).prefix(40)
        let weights = top40.map { Double(values[Int($0)]) }.map { exp($0 - Double(values[Int(top40.first!)])) }
        let total = weights.reduce(0, +)
        var mass = 0.0
        let nucleusSize = weights.firstIndex { mass += $0; return mass >= 0.9 * total }! + 1
        let nucleus = Set(top40.prefix(nucleusSize))

        var options = SamplingOptions()
        options.seed = 5
        let seen = Set(try draws(3000, from: values, options: options))
        #expect(seen.isSubset(of: nucleus))
        #expect(seen.count > nucleus.count / 2, "draws should spread over the nucleus (\(nucleus.count) tokens)")
    }
}
