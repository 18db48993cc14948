import Grammar
import Sampling
import Tokenizer

/// Sampling under a grammar, as llama.cpp does it: the sampler's pick is kept when the grammar
/// takes its bytes (the common case, one cheap check); otherwise every token the grammar refuses is
/// masked out of the original logits and the sampler picks again. End-of-generation tokens are
/// allowed only once a whole value has been read.
final class GrammarConstraint {
    private(set) var state: GrammarState
    private let vocabulary: GrammarVocabulary
    private let endOfGeneration: Set<TokenID>
    /// The logits as the model gave them: the sampler's penalties rewrite its buffer in place.
    private let original: UnsafeMutableBufferPointer<Float>
    /// The state after the token `sample` returned, so `accept` need not read it again.
    private var chosen: (token: TokenID, state: GrammarState)?

    init(grammar: JSONGrammar, vocabulary: GrammarVocabulary, endOfGeneration: Set<TokenID>, vocabularySize: Int) {
        state = grammar.start()
        self.vocabulary = vocabulary
        self.endOfGeneration = endOfGeneration
        original = .allocate(capacity: vocabularySize)
    }

    deinit { original.deallocate() }

    /// Complete, and no byte could extend it: the answer is over.
    var isFinished: Bool { state.isComplete && !state.acceptsMoreBytes }

    func sample(_ sampler: Sampler, logits: UnsafeMutableBufferPointer<Float>) throws(GrammarConstraintError) -> TokenID {
        _ = original.initialize(fromContentsOf: logits)
        let first = sampler.sample(logits: logits)
        if allows(first) { return first }

        _ = logits.initialize(fromContentsOf: original)
        var allowed = [Bool](repeating: false, count: logits.count)
        var any = false
        vocabulary.forEachAllowed(from: state) { id in
            if Int(id) < allowed.count {
                allowed[Int(id)] = true
                any = true
            }
        }
        if state.isComplete {
            for id in endOfGeneration where Int(id) < allowed.count {
                allowed[Int(id)] = true
                any = true
            }
        }
        guard any else { throw GrammarConstraintError.noTokenFits }
        for i in logits.indices where !allowed[i] { logits[i] = -.infinity }
        let second = sampler.sample(logits: logits)
        guard allows(second) else { throw GrammarConstraintError.noTokenFits }
        return second
    }

    /// Moves the grammar past `token`, which `sample` returned.
    func accept(_ token: TokenID) {
        guard let chosen, chosen.token == token else { preconditionFailure("accept(\(token)) without sampling it") }
        state = chosen.state
        self.chosen = nil
    }

    private func allows(_ token: TokenID) -> Bool {
        if endOfGeneration.contains(token) {
            chosen = (token, state)
            return state.isComplete
        }
        guard let next = vocabulary.state(after: token, from: state) else { return false }
        chosen = (token, next)
        return true
    }
}

/// Constrained generation reached a point where no token of the vocabulary continues the grammar
/// (a vocabulary without the bytes the schema needs).
public enum GrammarConstraintError: Error, Equatable, CustomStringConvertible {
    case noTokenFits

    public var description: String {
        switch self {
        case .noTokenFits: "no token of the model's vocabulary can continue the structured output"
        }
    }
}
