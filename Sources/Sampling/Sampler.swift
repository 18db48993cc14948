/// Chooses each next token from a model's logits with Ollama's sampling options, following
/// llama.cpp's default chain (which current Ollama runs through llama-server):
///
///     penalties → top_k → typical_p → top_p → min_p → temperature → draw
///
/// Temperature ≤ 0 replaces the last two steps with the most likely survivor (lowest id on ties);
/// top_k, top_p and min_p always keep that token, so they are skipped then. llama.cpp's DRY, XTC,
/// top-n-σ, dynamic temperature and mirostat stages are left out: Ollama exposes none of them.
///
/// Per request: create one sampler, `accept` the prompt's tokens (the penalties look at them too,
/// as in llama-server), then per step `sample` the logits and `accept` the chosen token. Buffers
/// for a whole vocabulary are allocated here once; a step allocates nothing. Not thread-safe: one
/// sampler serves one sequence at a time.
public final class Sampler {
    /// The options this sampler was made with.
    public let options: SamplingOptions
    /// How many logits each `sample` call receives.
    public let vocabularySize: Int
    /// The seed in use: `options.seed`, or a random one when that is -1. Logging it lets a
    /// random run be replayed.
    public private(set) var seed: UInt64

    private var random: SplitMix64
    private var penalties: RepetitionPenalties?
    private let candidates: CandidateList
    private let typicalScratch: UnsafeMutableBufferPointer<Weighted<TypicalRank>>?

    /// - Throws: `SamplingOptionError` for a penalty llama.cpp refuses: `repeat_penalty` not finite
    ///   and above 0 (or so small its inverse overflows), `frequency_penalty` or `presence_penalty`
    ///   not finite.
    public init(options: SamplingOptions, vocabularySize: Int) throws(SamplingOptionError) {
        precondition(vocabularySize > 0 && vocabularySize <= Int(Int32.max), "vocabulary size \(vocabularySize)")
        guard options.repeatPenalty.isFinite, options.repeatPenalty > 0, (1 / options.repeatPenalty).isFinite else {
            throw SamplingOptionError(option: "repeat_penalty", requirement: "finite and greater than 0")
        }
        guard options.frequencyPenalty.isFinite else {
            throw SamplingOptionError(option: "frequency_penalty", requirement: "finite")
        }
        guard options.presencePenalty.isFinite else {
            throw SamplingOptionError(option: "presence_penalty", requirement: "finite")
        }
        self.options = options
        self.vocabularySize = vocabularySize
        seed = Self.seed(for: options.seed)
        random = SplitMix64(seed: seed)
        penalties = RepetitionPenalties(options: options)
        candidates = CandidateList(capacity: vocabularySize)
        typicalScratch = options.typicalP < 1 ? .allocate(capacity: vocabularySize) : nil
    }

    deinit {
        typicalScratch?.deallocate()
    }

    /// Chooses the next token. The logits are modified in place (penalties), so pass a buffer whose
    /// contents are not needed afterwards.
    public func sample(logits: UnsafeMutableBufferPointer<Float>) -> Int32 {
        precondition(logits.count == vocabularySize, "\(logits.count) logits for a vocabulary of \(vocabularySize)")
        penalties?.apply(to: logits)
        let isGreedy = !(options.temperature > 0)
        // Typical sampling can drop the most likely token, so greedy decoding skips the chain only without it.
        if isGreedy && typicalScratch == nil {
            candidates.loadBest(1, from: logits)
            return candidates.best.id
        }

        if options.topK > 0 && options.topK < vocabularySize {
            candidates.loadBest(options.topK, from: logits)
        } else {
            candidates.loadAll(from: logits)
        }
        if let typicalScratch { candidates.keepTypical(options.typicalP, scratch: typicalScratch) }
        if isGreedy { return candidates.best.id }

        candidates.keepTopP(options.topP)
        candidates.keepMinP(options.minP)
        candidates.divideLogits(by: options.temperature)
        return candidates.draw(uniform: random.nextUnitInterval())
    }

    /// Records a token of the sequence (prompt or generated) for the penalties. Ids outside the
    /// vocabulary are ignored: they have no logit to penalise (llama-server likewise skips null ids).
    public func accept(_ token: Int32) {
        guard token >= 0 && Int(token) < vocabularySize else { return }
        penalties?.record(token)
    }

    /// Records several tokens in order, e.g. the prompt.
    public func accept(contentsOf tokens: some Sequence<Int32>) {
        for token in tokens { accept(token) }
    }

    /// Forgets the accepted tokens and restarts the random stream: from the same seed, or from a new
    /// random one when `options.seed` is -1 (as llama.cpp's reset does).
    public func reset() {
        penalties?.removeAll()
        seed = Self.seed(for: options.seed)
        random = SplitMix64(seed: seed)
    }

    private static func seed(for requested: Int) -> UInt64 {
        if requested == -1 {
            var system = SystemRandomNumberGenerator()
            return system.next()
        }
        return UInt64(truncatingIfNeeded: requested)
    }
}
