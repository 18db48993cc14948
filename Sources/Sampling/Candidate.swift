/// A vocabulary entry still in the running for the next token.
struct Candidate: Equatable {
    var id: Int32
    var logit: Float
}

/// A strict total order, best first, so every selection and sort gives one answer whatever algorithm
/// produced it.
protocol BestFirst {
    func ranks(above other: Self) -> Bool
}

extension Candidate: BestFirst {
    /// Higher logit first; on equal logits the lower id, which makes greedy ties go to the lowest id.
    func ranks(above other: Candidate) -> Bool {
        logit > other.logit || (logit == other.logit && id < other.id)
    }
}
