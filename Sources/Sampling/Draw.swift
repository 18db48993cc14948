extension CandidateList {
    /// Picks a candidate with probability softmax(logit), using one uniform value in [0, 1): the first
    /// candidate, in the current order, at which the running weight reaches `uniform` × total. A
    /// candidate whose weight underflowed to 0 is never picked.
    func draw(uniform: Double) -> Int32 {
        precondition(count > 0)
        let target = weigh() * uniform
        var running: Double = 0
        for entry in weighted[..<count] where entry.weight > 0 {
            running += Double(entry.weight)
            if running >= target { return entry.element.id }
        }
        // Reached only when the logits hold NaN (the running sum ends at the total, which is ≥ target).
        return best.id
    }
}
