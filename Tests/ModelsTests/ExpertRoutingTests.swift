#if canImport(Glibc)
import Glibc
#endif
import Kernels
@testable import Models
import TestSupport
import Testing

/// MoE routing against hand-worked cases and an independent sort-based version of DeepSeek-V3's
/// rule (HF `modeling_deepseek` MoEGate.forward).
@Suite("Expert routing")
struct ExpertRoutingTests {
    /// DeepSeek-V3's routing at the tiny model's size: 8 experts in 4 groups of 2, 2 groups kept, top 2.
    static let v3 = ExpertRouting(experts: 8, used: 2, groups: 4, groupsUsed: 2, gating: .sigmoid,
                                  normalizeWeights: true, weightsScale: 2.5)

    static func route(_ r: ExpertRouting, _ logits: [Float], bias: [Float]?) -> (experts: [Int32], weights: [Float]) {
        var scores = logits, selection = [Float](repeating: 0, count: r.experts)
        var chosen = [Int32](repeating: -1, count: r.used), weights = [Float](repeating: 0, count: r.used)
        bias.withOptionalPointer { b in
            r.route(logits: &scores, bias: b, selection: &selection, chosen: &chosen, weights: &weights)
        }
        return (chosen, weights)
    }

    static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

    @Test func biasChoosesExpertsButDoesNotWeightThem() {
        // Expert 5 has the lowest score but a large bias; expert 0 the highest score and no bias.
        let logits: [Float] = [2.0, 1.0, 0.5, 0.4, 0.3, -1.0, 0.2, 0.1]
        var bias = [Float](repeating: 0, count: 8)
        bias[5] = 3
        let r = ExpertRouting(experts: 8, used: 2, gating: .sigmoid, normalizeWeights: false, weightsScale: 1)
        let (experts, weights) = Self.route(r, logits, bias: bias)
        #expect(experts == [5, 0])
        #expect(weights == [Self.sigmoid(-1.0), Self.sigmoid(2.0)])
    }

    @Test func bestExpertOfADroppedGroupIsNotChosen() {
        // Group 0 holds the best expert (0) and group 1 the third best (2), but their pair sums
        // are the lowest, so groups 3 and 2 are kept; 4 and 5 tie, the lower id wins.
        let logits: [Float] = [3.0, -4.0, 1.0, 0.0, 0.9, 0.9, 1.2, 0.8]
        let (experts, _) = Self.route(Self.v3, logits, bias: nil)
        #expect(experts == [6, 4])
    }

    @Test func weightsAreNormalizedThenScaled() {
        let logits: [Float] = [0.3, -0.2, 1.1, 0.7, -0.5, 0.2, 0.9, 0.4]
        let (experts, weights) = Self.route(Self.v3, logits, bias: nil)
        let s = experts.map { Self.sigmoid(logits[Int($0)]) }
        let sum = Float(s.reduce(0.0) { $0 + Double($1) })
        #expect(weights == s.map { $0 / sum * 2.5 })
    }

    @Test func weightSumIsClampedToTheSmallestNormalHalf() {
        let r = ExpertRouting(experts: 4, used: 2, gating: .sigmoid, normalizeWeights: true, weightsScale: 0)
        let (_, weights) = Self.route(r, [-30, -31, -32, -33], bias: nil)
        #expect(weights == [Self.sigmoid(-30), Self.sigmoid(-31)].map { $0 / ExpertRouting.minimumWeightSum })
    }

    @Test func tiesGoToTheLowerId() {
        let r = ExpertRouting(experts: 6, used: 3, gating: .sigmoid, normalizeWeights: false, weightsScale: 1)
        #expect(Self.route(r, [0, 1, 1, 0, 1, 0], bias: nil).experts == [1, 2, 4])
    }

    @Test func softmaxGatingWeightsAreTheProbabilitiesOfTheChosen() {
        let logits: [Float] = (0..<20).map { Float($0 % 7) * 0.3 - Float($0) * 0.01 }
        let r = ExpertRouting(experts: 20, used: 4, gating: .softmax, normalizeWeights: false, weightsScale: 0)
        let (experts, weights) = Self.route(r, logits, bias: nil)
        let m = logits.max()!
        let total = logits.reduce(0.0) { $0 + exp(Double($1 - m)) }
        #expect(experts == [6, 13, 5, 12])
        for (e, w) in zip(experts, weights) {
            #expect(abs(Double(w) - exp(Double(logits[Int(e)] - m)) / total) < 1e-6)
        }
    }

    /// HF's MoEGate: group score = sum of the group's top-2 biased scores, keep the top groups,
    /// mask the rest, top-k on the biased scores, weights from the unbiased ones.
    static func reference(_ logits: [Float], bias: [Float]) -> [Int] {
        let s = logits.map(sigmoid), biased = zip(s, bias).map(+)
        let groupScore = (0..<4).map { g in biased[2 * g] + biased[2 * g + 1] }
        let kept = Set((0..<4).sorted { groupScore[$0] != groupScore[$1] ? groupScore[$0] > groupScore[$1] : $0 < $1 }.prefix(2))
        let candidates = (0..<8).filter { kept.contains($0 / 2) }
        return Array(candidates.sorted { biased[$0] != biased[$1] ? biased[$0] > biased[$1] : $0 < $1 }.prefix(2))
    }

    @Test func agreesWithTheSortBasedRuleOnRandomScores() {
        var rng = SeededRandom(seed: 0xD5EE)
        for _ in 0..<2000 {
            let logits = (0..<8).map { _ in Float.random(in: -3...3, using: &rng) }
            let bias = (0..<8).map { _ in Float.random(in: -0.1...0.1, using: &rng) }
            let (experts, weights) = Self.route(Self.v3, logits, bias: bias)
            let expected = Self.reference(logits, bias: bias)
            #expect(experts.map(Int.init) == expected)
            let s = expected.map { Self.sigmoid(logits[$0]) }
            #expect(weights == s.map { $0 / Float(Double(s[0]) + Double(s[1])) * 2.5 })
        }
    }
}
