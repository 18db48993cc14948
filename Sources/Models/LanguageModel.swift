import GGUF
import Kernels

/// A loaded architecture that turns token ids into logits. Weights are views into the GGUF
/// mapping; everything that changes per sequence lives in a `ModelState`.
public protocol LanguageModel: AnyObject, Sendable {
    var vocabularySize: Int { get }
    /// The context length the model was trained for (`<arch>.context_length`).
    var trainedContextLength: Int { get }
    /// Width of the hidden state, and so of an embedding (`<arch>.embedding_length`).
    var embeddingLength: Int { get }
    /// The pooling the file declares (`<arch>.pooling_type`); nil for generative models, which declare none.
    var declaredPooling: PoolingType? { get }
    /// A fresh sequence state (KV cache and buffers) for up to `contextSize` tokens, processing
    /// prompts in chunks of at most `batchSize` tokens on `pool`'s threads, with the KV cache in
    /// `cacheType`. Throws when the architecture cannot keep its cache in that type.
    func makeState(contextSize: Int, batchSize: Int, pool: ThreadPool, cacheType: KVCacheType) throws(ModelError) -> ModelState
    /// Runs `tokens` at the state's next positions, appending them to its cache. Returns the
    /// logits of the last token, or of every token when `allLogits` (row-major, vocab per row).
    func forward(_ tokens: [Int32], state: ModelState, allLogits: Bool) throws(ModelError) -> UnsafeMutableBufferPointer<Float>
    /// Runs one token for each of `states` (distinct sequences, at most the smallest batch size
    /// of them) at each sequence's next position, in one pass: every weight is read once for all
    /// of them. Row i of the result (vocab values) is the logits of `tokens[i]`, equal to what
    /// `forward([tokens[i]], state: states[i])` returns. The buffer belongs to `states[0]`.
    func forward(oneTokenEach tokens: [Int32], states: [ModelState]) throws(ModelError) -> UnsafeMutableBufferPointer<Float>
    /// Runs `tokens` as `forward` does (causally, in chunks of the batch size) and pools the final
    /// hidden states (after the output norm, before the output head) into one un-normalized vector
    /// of `embeddingLength` values. Throws `unsupportedPooling` for `.none` and `.rank`.
    func embed(_ tokens: [Int32], state: ModelState, pooling: PoolingType) throws(ModelError) -> [Float]
}

extension LanguageModel {
    /// A state with llama.cpp's default f16 KV cache.
    public func makeState(contextSize: Int, batchSize: Int, pool: ThreadPool) -> ModelState {
        // f16 rows need no block alignment, so no architecture refuses them.
        try! makeState(contextSize: contextSize, batchSize: batchSize, pool: pool, cacheType: .f16)
    }
}

/// Per-sequence memory: the KV cache, the position reached, and scratch buffers sized once.
public final class ModelState: @unchecked Sendable {
    public let contextSize: Int
    public let batchSize: Int
    /// Tokens already in the cache; the next token goes at this position.
    public internal(set) var position = 0
    let cache: KVCache
    let scratch: ScratchArena
    let matmul = MatMulScratch()
    /// One matmul scratch per pool thread, for blocks that run many small products at once (one per
    /// attention head), each on a single thread.
    private(set) lazy var threadMatMul: [MatMulScratch] = (0..<pool.threadCount).map { _ in MatMulScratch() }
    public let pool: ThreadPool
    /// Bytes of mixture-of-experts weights (routed and shared experts) the forward passes of this
    /// sequence have read so far; 0 for dense models.
    public internal(set) var expertBytesRead = 0

    init(contextSize: Int, batchSize: Int, cache: KVCache, pool: ThreadPool) {
        self.contextSize = contextSize
        self.batchSize = batchSize
        self.cache = cache
        self.scratch = ScratchArena()
        self.pool = pool
    }

    /// Forgets everything after `count` tokens (count 0 clears the sequence).
    public func truncate(to count: Int) {
        position = min(position, max(0, count))
    }

    /// Bytes held by the KV cache.
    public var cacheBytes: Int { cache.bytes }

    /// Bytes of KV cache one token takes, over all layers.
    public var cacheBytesPerToken: Int { cache.bytesPerToken }
}

/// Named float buffers allocated on first use and reused across steps (no allocation per token).
final class ScratchArena {
    private var buffers: [String: UnsafeMutableBufferPointer<Float>] = [:]

    func buffer(_ name: String, _ count: Int) -> UnsafeMutablePointer<Float> {
        if let b = buffers[name], b.count >= count { return b.baseAddress! }
        buffers[name]?.deallocate()
        let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(count, 1))
        b.initialize(repeating: 0)
        buffers[name] = b
        return b.baseAddress!
    }

    deinit { for b in buffers.values { b.deallocate() } }
}
