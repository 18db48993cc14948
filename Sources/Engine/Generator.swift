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
    public func generate(prompt: [TokenID], cache: PromptCache? = nil, emit: (String) -> Bool,
                         onToken: (TokenID) -> Bool = { _ in true }) throws -> GenerationStats {
        let start = Clock.now()
        var stats = GenerationStats()
        var sampling = options.sampling
        let context = min(sampling.numCtx, max(loaded.model.trainedContextLength, 4))
        sampling.numCtx = context
        guard !prompt.isEmpty else { throw ModelError.badHyperparameter(key: "prompt", reason: "is empty") }
        guard prompt.count < context else { throw ModelError.promptTooLong(tokens: prompt.count, context: context) }
        let make = { [loaded, options] in
            try loaded.model.makeState(contextSize: context, batchSize: options.numBatch, pool: loaded.pool, cacheType: options.kvCacheType)
        }
        let (state, reused) = if let cache {
            try cache.reuse(for: prompt, contextSize: context, batchSize: options.numBatch, cacheType: options.kvCacheType, make: make)
        } else {
            (try make(), 0)
        }
        var sequence = prompt
        let sampler = try Sampler(options: sampling, vocabularySize: loaded.model.vocabularySize)
        sampler.accept(contentsOf: prompt)
        var detokenizer = StreamingDetokenizer(tokenizer: loaded.tokenizer)
        var stops = StopSequenceMatcher(stops: sampling.stop)
        let makeConstraint = { [loaded] (grammar: JSONGrammar) in
            GrammarConstraint(grammar: grammar, vocabulary: GrammarVocabularyCache.vocabulary(for: loaded),
                              endOfGeneration: loaded.tokenizer.vocabulary.endOfGeneration, vocabularySize: loaded.model.vocabularySize)
        }
        var constraint = options.grammarStartsAfter == nil ? options.grammar.map(makeConstraint) : nil
        // The output seen while waiting for `grammarStartsAfter`, trimmed to the marker's length.
        var awaitingMarker = options.grammar != nil && options.grammarStartsAfter != nil ? "" : nil

        var logits = try loaded.model.forward(Array(prompt[reused...]), state: state, allLogits: false)
        stats.promptTokens = prompt.count - reused
        stats.promptDuration = Clock.now() - start

        let limit = sampling.numPredict < 0 ? Int.max : sampling.numPredict
        let decodeStart = Clock.now()
        stats.doneReason = .length
        var stopped = false
        generation: while stats.generatedTokens < limit {
            let next = if let constraint { try constraint.sample(sampler, logits: logits) } else { sampler.sample(logits: logits) }
            sampler.accept(next)
            constraint?.accept(next)
            if loaded.tokenizer.vocabulary.isEndOfGeneration(next) {
                stats.doneReason = .stop
                break
            }
            stats.generatedTokens += 1
            sequence.append(next)
            guard onToken(next) else {
                stats.doneReason = .cancelled
                break
            }
            let piece = detokenizer.append(next)
            if var seen = awaitingMarker, let marker = options.grammarStartsAfter, let grammar = options.grammar {
                seen += piece
                if seen.contains(marker) {
                    constraint = makeConstraint(grammar)
                    awaitingMarker = nil
                } else {
                    awaitingMarker = String(seen.suffix(marker.count))
                }
            }
            let out = stops.append(piece)
            if !out.text.isEmpty, !emit(out.text) {
                stats.doneReason = .cancelled
                break
            }
            if out.stop != nil {
                stats.doneReason = .stop
                stopped = true
                break generation
            }
            if let constraint, constraint.isFinished {
                stats.doneReason = .stop
                break
            }
            guard state.position < context else { break }
            logits = try loaded.model.forward([next], state: state, allLogits: false)
        }
        if stats.doneReason != .cancelled, !stopped {
            // Bytes still held back (an unfinished character, a possible stop prefix) belong to the answer.
            let tail = stops.append(detokenizer.finish()).text + stops.finish()
            if !tail.isEmpty { _ = emit(tail) }
        }
        cache?.remember(sequence, position: state.position)
        stats.generationDuration = Clock.now() - decodeStart
        stats.totalDuration = Clock.now() - start
        return stats
    }
}
