extension CandidateList {
    /// Divides every logit by `temperature` (> 0): below 1 sharpens the distribution, above 1 flattens it.
    func divideLogits(by temperature: Float) {
        let candidates = active
        for i in candidates.indices { candidates[i].logit /= temperature }
    }
}
