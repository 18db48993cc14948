import Grammar
import Kernels
import Models
import Sampling
import Tokenizer

/// Why a generation ended, as Ollama reports it in `done_reason`.
public enum DoneReason: String, Sendable {
    /// An end-of-generation token or a stop string.
    case stop
    /// `num_predict` tokens, or the context is full.
    case length
    /// The caller asked to stop (a disconnected client, Ctrl-C).
    case cancelled
}

/// Counts and durations (nanoseconds) of one generation, Ollama's statistics.
public struct GenerationStats: Sendable, Equatable {
    public var promptTokens = 0
    public var promptDuration: UInt64 = 0
    public var generatedTokens = 0
    public var generationDuration: UInt64 = 0
    public var totalDuration: UInt64 = 0
    public var doneReason: DoneReason = .stop
    public init() {}
}

/// Runs prompt → tokens → text for one sequence: prefill in batches, then decode one token at a
/// time, sampling (under `options.grammar` when set), detokenizing without splitting UTF-8, and
/// holding back text that might begin a stop string.
public struct Generator {
    public let loaded: LoadedModel
    public var options: RunOptions

    public init(_ loaded: LoadedModel, options: RunOptions) {
        self.loaded = loaded
        self.options = options
    }

    /// Tokenizes `prompt` as llama.cpp does for raw prompts (BOS per the vocabulary, special tokens parsed).
    public func tokenize(_ prompt: String) -> [TokenID] {
        loaded.tokenizer.encode(prompt, addSpecial: true, parseSpecial: true)
    }

    /// Generates from `prompt`; `emit` receives each text piece and returns false to cancel.
    /// `onToken` sees every sampled token id (before its text, which may be held back) and returns
    /// false to cancel, so a caller can stop within one token and keep the ids (Ollama's `context`).
    /// With a `cache`, the prompt's prefix that the previous generation already computed is reused
    /// (`promptTokens` then counts only the tokens processed).
    public func generate(prompt: [TokenID], cache: PromptCache? = nil, emit: @escaping (String) -> Bool,
                         onToken: @escaping (TokenID) -> Bool = { _ in true }) throws -> GenerationStats {
        let run = try GenerationRun(loaded, options: options, prompt: prompt, cache: cache, emit: emit, onToken: onToken)
        var logits = try run.prefill()
        while let next = try run.advance(logits: logits) {
            logits = try loaded.model.forward([next], state: run.state, allLogits: false)
        }
        return run.finish()
    }
}

/// One generation taken a step at a time, so that a caller can decode several sequences in one
/// forward pass (`LanguageModel.forward(oneTokenEach:states:)`): `prefill` runs the prompt, then
/// each `advance` takes the logits of the last token fed and returns the next token to feed, or
/// nil when the generation is over; `finish` flushes held-back text and returns the statistics.
public final class GenerationRun {
    public let loaded: LoadedModel
    public let options: RunOptions
    /// The sequence's KV cache and position.
    public let state: ModelState
    private let prompt: [TokenID]
    private let reused: Int
    private let cache: PromptCache?
    private let context: Int
    private let limit: Int
    private let emit: (String) -> Bool
    private let onToken: (TokenID) -> Bool
    private let sampler: Sampler
    private var sequence: [TokenID]
    private var detokenizer: StreamingDetokenizer
    private var stops: StopSequenceMatcher
    private var constraint: GrammarConstraint?
    /// The output seen while waiting for `grammarStartsAfter`, trimmed to the marker's length.
    private var awaitingMarker: String?
    private var stats = GenerationStats()
    private let start: UInt64
    private var decodeStart: UInt64 = 0
    /// The generation ended on a stop string: held-back text is not part of the answer.
    private var stopped = false
    private var over = false

    /// Prepares the sequence: its state (the cache's shared prefix reused when given), sampler,
    /// detokenizer, stop strings and grammar. Throws for an empty or too long prompt and bad options.
    public init(_ loaded: LoadedModel, options: RunOptions, prompt: [TokenID], cache: PromptCache? = nil,
                emit: @escaping (String) -> Bool, onToken: @escaping (TokenID) -> Bool = { _ in true }) throws {
        start = Clock.now()
        self.loaded = loaded
        self.options = options
        self.prompt = prompt
        self.cache = cache
        self.emit = emit
        self.onToken = onToken
        var sampling = options.sampling
        context = min(sampling.numCtx, max(loaded.model.trainedContextLength, 4))
        sampling.numCtx = context
        guard !prompt.isEmpty else { throw ModelError.badHyperparameter(key: "prompt", reason: "is empty") }
        guard prompt.count < context else { throw ModelError.promptTooLong(tokens: prompt.count, context: context) }
        let make = { [loaded, context] in
            try loaded.model.makeState(contextSize: context, batchSize: options.numBatch, pool: loaded.pool, cacheType: options.kvCacheType)
        }
        (state, reused) = if let cache {
            try cache.reuse(for: prompt, contextSize: context, batchSize: options.numBatch, cacheType: options.kvCacheType, make: make)
        } else {
            (try make(), 0)
        }
        sequence = prompt
        sampler = try Sampler(options: sampling, vocabularySize: loaded.model.vocabularySize)
        sampler.accept(contentsOf: prompt)
        detokenizer = StreamingDetokenizer(tokenizer: loaded.tokenizer)
        stops = StopSequenceMatcher(stops: sampling.stop)
        constraint = options.grammarStartsAfter == nil ? options.grammar.map(Self.constraint(loaded)) : nil
        awaitingMarker = options.grammar != nil && options.grammarStartsAfter != nil ? "" : nil
        limit = sampling.numPredict < 0 ? Int.max : sampling.numPredict
    }

    private static func constraint(_ loaded: LoadedModel) -> (JSONGrammar) -> GrammarConstraint {
        { grammar in
            GrammarConstraint(grammar: grammar, vocabulary: GrammarVocabularyCache.vocabulary(for: loaded),
                              endOfGeneration: loaded.tokenizer.vocabulary.endOfGeneration, vocabularySize: loaded.model.vocabularySize)
        }
    }

    /// Runs the prompt (what the cache did not already hold) and returns the last token's logits.
    public func prefill() throws -> UnsafeMutableBufferPointer<Float> {
        let logits = try loaded.model.forward(Array(prompt[reused...]), state: state, allLogits: false)
        stats.promptTokens = prompt.count - reused
        stats.promptDuration = Clock.now() - start
        decodeStart = Clock.now()
        stats.doneReason = .length
        if limit <= 0 { over = true }  // num_predict 0: the prompt only
        return logits
    }

    /// Samples the next token from the logits of the last token fed, passes it and its text on,
    /// and returns it when it must be fed next; nil when the generation is over.
    public func advance(logits: UnsafeMutableBufferPointer<Float>) throws -> TokenID? {
        guard !over else { return nil }
        over = true
        let next = if let constraint { try constraint.sample(sampler, logits: logits) } else { sampler.sample(logits: logits) }
        sampler.accept(next)
        constraint?.accept(next)
        if loaded.tokenizer.vocabulary.isEndOfGeneration(next) {
            stats.doneReason = .stop
            return nil
        }
        stats.generatedTokens += 1
        sequence.append(next)
        guard onToken(next) else {
            stats.doneReason = .cancelled
            return nil
        }
        let piece = detokenizer.append(next)
        if var seen = awaitingMarker, let marker = options.grammarStartsAfter, let grammar = options.grammar {
            seen += piece
            if seen.contains(marker) {
                constraint = Self.constraint(loaded)(grammar)
                awaitingMarker = nil
            } else {
                awaitingMarker = String(seen.suffix(marker.count))
            }
        }
        let out = stops.append(piece)
        if !out.text.isEmpty, !emit(out.text) {
            stats.doneReason = .cancelled
            return nil
        }
        if out.stop != nil {
            stats.doneReason = .stop
            stopped = true
            return nil
        }
        if let constraint, constraint.isFinished {
            stats.doneReason = .stop
            return nil
        }
        guard stats.generatedTokens < limit, state.position < context else { return nil }
        over = false
        return next
    }

    /// Ends the generation: text still held back (an unfinished character, a possible stop prefix)
    /// is emitted unless it was cancelled or stopped, the cache records what the state holds, and
    /// the statistics are returned.
    public func finish() -> GenerationStats {
        if stats.doneReason != .cancelled, !stopped {
            let tail = stops.append(detokenizer.finish()).text + stops.finish()
            if !tail.isEmpty { _ = emit(tail) }
        }
        cache?.remember(sequence, position: state.position)
        stats.generationDuration = Clock.now() - decodeStart
        stats.totalDuration = Clock.now() - start
        return stats
    }
}
