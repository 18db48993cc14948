import Models
import Tokenizer

/// The KV cache of the last sequence a model generated, kept so that the next request starting
/// with the same tokens (a chat's next turn re-sends the whole history) processes only what is new.
/// One generation uses it at a time (a runner gives each of its request slots its own).
public final class PromptCache: @unchecked Sendable {
    var state: ModelState?
    var cacheType = KVCacheType.f16
    /// The tokens whose keys and values are in `state`, in order.
    var tokens: [TokenID] = []

    public init() {}

    /// How many leading tokens of `prompt` the cache holds: a runner with several caches gives a
    /// request the one that saves it the most work.
    public func matchingPrefix(_ prompt: [TokenID]) -> Int {
        var shared = 0
        while shared < min(tokens.count, prompt.count), tokens[shared] == prompt[shared] { shared += 1 }
        return shared
    }

    /// A state for `prompt` with as much of its prefix already computed as the cache holds, and
    /// how many tokens that is; a new state when the cached one was made for other settings.
    func reuse(for prompt: [TokenID], contextSize: Int, batchSize: Int, cacheType: KVCacheType,
               make: () throws -> ModelState) rethrows -> (state: ModelState, reused: Int) {
        defer { tokens = [] }  // until the generation says what the cache holds again
        guard let state, state.contextSize == contextSize, state.batchSize == batchSize, self.cacheType == cacheType else {
            let fresh = try make()
            self.state = fresh
            self.cacheType = cacheType
            return (fresh, 0)
        }
        // At least the last prompt token runs again: its logits pick the first new token.
        let shared = min(matchingPrefix(prompt), prompt.count - 1)
        state.truncate(to: shared)
        return (state, shared)
    }

    /// Records what the state now holds after a generation.
    func remember(_ sequence: [TokenID], position: Int) {
        tokens = Array(sequence.prefix(position))
    }
}
