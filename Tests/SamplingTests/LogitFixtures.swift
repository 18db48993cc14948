import Foundation
@testable import Sampling

/// Logits whose softmax is `probabilities` (softmax ignores the constant a logarithm leaves out).
func logits(fromProbabilities probabilities: [Double]) -> [Float] {
    probabilities.map { Float(log($0)) }
}

/// Runs `body` on a mutable copy of `values`, as the engine would hand its logits buffer over.
func withBuffer<R>(_ values: [Float], _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
    var copy = values
    return try copy.withUnsafeMutableBufferPointer { try body($0) }
}

/// The candidates left after loading `values` (all of them, or the best `topK`) and running `stage`,
/// in their resulting order.
func survivors(of values: [Float], topK: Int? = nil, after stage: (CandidateList) -> Void = { _ in }) -> [Int32] {
    let list = CandidateList(capacity: values.count)
    withBuffer(values) { logits in
        if let topK { list.loadBest(topK, from: logits) } else { list.loadAll(from: logits) }
    }
    stage(list)
    return list.active.map(\.id)
}

/// Token ids ordered best first, lowest id on ties: the order every selection must agree with.
func referenceRanking(_ values: [Float]) -> [Int32] {
    values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }.map { Int32($0) }
}

/// Options that leave the distribution untouched, so draws follow softmax(logits / temperature).
func untruncatedOptions(seed: Int, temperature: Float = 1) -> SamplingOptions {
    var options = SamplingOptions()
    options.seed = seed
    options.temperature = temperature
    options.topK = 0
    options.topP = 1
    options.minP = 0
    return options
}

/// `count` draws from a fresh sampler over `values`, accepting nothing (no penalties in play).
func draws(_ count: Int, from values: [Float], options: SamplingOptions) throws -> [Int32] {
    let sampler = try Sampler(options: options, vocabularySize: values.count)
    return (0..<count).map { _ in withBuffer(values) { sampler.sample(logits: $0) } }
}
