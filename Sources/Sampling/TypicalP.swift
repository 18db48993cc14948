#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How locally typical sampling ranks a candidate: by how far its surprise (−ln p) lies from the
/// distribution's entropy, closest first.
struct TypicalRank: BestFirst {
    var candidate: Candidate
    var distanceFromEntropy: Float

    /// Equal distances fall back to the candidates' own order.
    func ranks(above other: TypicalRank) -> Bool {
        distanceFromEntropy < other.distanceFromEntropy
            || (distanceFromEntropy == other.distanceFromEntropy && candidate.ranks(above: other.candidate))
    }
}

extension CandidateList {
    /// Locally typical filtering (Meister et al.), as llama.cpp does it: candidates are ranked by how
    /// close their surprise is to the entropy and kept until their probability exceeds `p`. This may
    /// drop the most likely token. The order afterwards is unspecified.
    ///
    /// - Parameter scratch: room for one entry per vocabulary token.
    func keepTypical(_ p: Float, scratch: UnsafeMutableBufferPointer<Weighted<TypicalRank>>) {
        guard p < 1, count > 1 else { return }
        let maxLogit = self.maxLogit
        let total = weigh()
        let logTotal = Float(log(total))
        let entries = UnsafeMutableBufferPointer(rebasing: weighted[..<count])
        // ln p from the logits rather than logf(p): it stays finite when p underflows to 0.
        func logProbability(_ i: Int) -> Float { entries[i].element.logit - maxLogit - logTotal }

        var entropy: Float = 0
        for i in entries.indices where entries[i].weight > 0 {
            entropy -= Float(Double(entries[i].weight) / total) * logProbability(i)
        }
        for i in entries.indices {
            let rank = TypicalRank(candidate: entries[i].element, distanceFromEntropy: abs(-logProbability(i) - entropy))
            scratch[i] = Weighted(element: rank, weight: entries[i].weight)
        }

        let ranked = UnsafeMutableBufferPointer(rebasing: scratch[..<count])
        let kept = ranked.moveBestToFront(reaching: total * Double(p), strictly: true)
        replace(with: ranked[..<kept].lazy.map(\.element.candidate))
    }
}
