#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CandidateList {
    /// Min-p filtering: keeps candidates whose probability is at least `p` times the best one's,
    /// compared as logits (logit ≥ max + ln p), so no softmax is needed. Order is kept.
    func keepMinP(_ p: Float) {
        guard p > 0, count > 1 else { return }
        // llama-server clamps min_p to [0, 1]; at 1 only the top logit (and its ties) survive.
        let threshold = maxLogit + logf(min(p, 1))
        keep { $0.logit >= threshold }
    }
}
