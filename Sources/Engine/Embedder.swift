import Models
import Sampling
import Tokenizer

/// One input's pooled embedding, un-normalized as the model produced it.
public struct Embedding: Sendable, Equatable {
    public var vector: [Float]
    /// Tokens the model read (after any truncation): Ollama's `prompt_eval_count`.
    public var promptTokens: Int

    public init(vector: [Float], promptTokens: Int) {
        self.vector = vector
        self.promptTokens = promptTokens
    }

    /// The vector Ollama returns: L2-normalized; with `dimensions` in 1..<count, cut to its first
    /// `dimensions` values and normalized again (so the shortened vector has unit length too).
    public func normalized(dimensions: Int? = nil) -> [Float] {
        let unit = Self.l2Normalized(vector[...])
        guard let d = dimensions, d > 0, d < unit.count else { return unit }
        return Self.l2Normalized(unit[..<d])
    }

    /// `v / |v|` as Ollama computes it: a float32 sum of squares, the reciprocal root in double; a
    /// zero vector stays zero.
    static func l2Normalized(_ v: ArraySlice<Float>) -> [Float] {
        var sum: Float = 0
        for x in v { sum += x * x }
        let scale: Float = sum > 0 ? Float(1 / Double(sum).squareRoot()) : 0
        return v.map { $0 * scale }
    }
}

/// Text → pooled embedding with Ollama's semantics: the model's declared pooling (the last token's
/// hidden state for generative models, which declare none: what Ollama's llama.cpp runner fell
/// back to), inputs cut to the context length when `truncate` is on, non-finite results refused.
public struct Embedder {
    public let loaded: LoadedModel
    public var options: RunOptions
    /// Cut over-long inputs instead of refusing them (Ollama's `truncate`, default true).
    public var truncate: Bool
    /// How token states become one vector; starts as `defaultPooling` of the model.
    public var pooling: PoolingType

    public init(_ loaded: LoadedModel, options: RunOptions = RunOptions(), truncate: Bool = true) {
        self.loaded = loaded
        self.options = options
        self.truncate = truncate
        pooling = Self.defaultPooling(of: loaded.model)
    }

    /// The pooling the model declares; last-token when it declares none or per-token (`none`).
    public static func defaultPooling(of model: any LanguageModel) -> PoolingType {
        switch model.declaredPooling {
        case nil, .none?: .last
        case let declared?: declared
        }
    }

    /// The most tokens one input may have: `num_ctx`, but never beyond the trained context.
    public var contextLength: Int {
        min(options.sampling.numCtx, loaded.model.trainedContextLength)
    }

    /// Tokenizes as llama.cpp's embedding tool does: BOS/EOS as the vocabulary says, special tokens parsed.
    public func tokenize(_ text: String) -> [TokenID] {
        loaded.tokenizer.encode(text, addSpecial: true, parseSpecial: true)
    }

    public func embed(_ text: String) throws(EmbeddingError) -> Embedding {
        try embed(tokens: tokenize(text))
    }

    /// Embeds `tokens` on a fresh state sized to them (after truncation to `contextLength`).
    public func embed(tokens: [TokenID]) throws(EmbeddingError) -> Embedding {
        let input = try fitted(tokens)
        guard !input.isEmpty else { throw .emptyInput }
        let model = loaded.model
        let vector: [Float]
        do {
            let state = try model.makeState(contextSize: input.count, batchSize: options.numBatch,
                                            pool: loaded.pool, cacheType: options.kvCacheType)
            vector = try model.embed(input, state: state, pooling: pooling)
        } catch {
            throw .model(error)
        }
        if let bad = vector.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(index: bad) }
        return Embedding(vector: vector, promptTokens: input.count)
    }

    /// `tokens` cut to `contextLength` when they exceed it and `truncate` is on; the end-of-sequence
    /// token a vocabulary appends (BERT-style SEP/EOS) stays last, since the pooling may read it.
    private func fitted(_ tokens: [TokenID]) throws(EmbeddingError) -> [TokenID] {
        let context = contextLength
        guard tokens.count > context else { return tokens }
        guard truncate else { throw .inputTooLong(tokens: tokens.count, context: context) }
        guard loaded.tokenizer.vocabulary.addsEOS, let end = tokens.last, context > 1 else {
            return Array(tokens.prefix(context))
        }
        return tokens.prefix(context - 1) + [end]
    }
}
