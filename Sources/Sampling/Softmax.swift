#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CandidateList {
    /// Copies the candidates into `weighted` with weight exp(logit − max) and returns the total:
    /// probabilities up to one division, which callers fold into their thresholds. The total is
    /// kept in Double, as llama.cpp does, so a long tail of tiny weights still counts.
    func weigh() -> Double {
        let candidates = active
        let maxLogit = self.maxLogit
        var total: Double = 0
        for i in candidates.indices {
            let weight = expf(candidates[i].logit - maxLogit)
            weighted[i] = Weighted(element: candidates[i], weight: weight)
            total += Double(weight)
        }
        return total
    }
}
