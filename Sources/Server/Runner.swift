import JSON
import Sampling
import ModelStore
import Logging
import GGUF
import Dispatch
import Engine
import Models
import OllamaAPI
import Synchronization
import Tokenizer

/// What a loaded runner was built with; a request that needs different values reloads it (spec §6.3).
struct LoadOptions: Hashable, Sendable {
    var numCtx: Int
    var numBatch: Int
    var numThread: Int
    var kvCacheType: String
}

/// A flag a generation polls between tokens: set when the client goes away or the server stops.
final class CancelFlag: Sendable {
    private let state = Atomic<Bool>(false)
    func cancel() { state.store(true, ordering: .relaxed) }
    var isCancelled: Bool { state.load(ordering: .relaxed) }
}

/// One piece of a running generation, in order: text deltas, then the statistics.
enum GenerationEvent: Sendable {
    case text(String)
    case done(GenerationStats, tokens: [TokenID])
}

/// A loaded model and the serial queue its forward passes run on. Compute never runs on Swift's
/// cooperative threads (two on this machine), so `/api/tags` and `/api/ps` answer while tokens flow.
final class Runner: @unchecked Sendable {
    let name: String
    let path: String
    let digest: String
    let details: ModelDetails
    let loaded: LoadedModel
    let options: LoadOptions
    /// Bytes the runner occupies: the mapped weights plus one sequence's KV cache.
    let sizeBytes: Int
    private let queue: DispatchQueue
    /// The last generation's KV cache: a chat's next turn reuses its shared prefix.
    private let promptCache = PromptCache()

    // Scheduler-owned bookkeeping (only touched on the scheduler actor).
    var references = 0
    var keepAlive: KeepAlive
    var expiresAt: Int64 = 0
    var lastUsed: UInt64 = 0
    var expiryTask: Task<Void, Never>?
    var unloadRequested = false

    init(name: String, path: String, digest: String, details: ModelDetails, loaded: LoadedModel, options: LoadOptions,
         sizeBytes: Int, keepAlive: KeepAlive) {
        self.name = name
        self.path = path
        self.digest = digest
        self.details = details
        self.loaded = loaded
        self.options = options
        self.sizeBytes = sizeBytes
        self.keepAlive = keepAlive
        queue = DispatchQueue(label: "tern.runner.\(name)")
    }

    /// Streams a generation of `prompt` with `runOptions`. Jobs run one at a time in arrival order;
    /// `cancel` stops one within a token.
    func generate(prompt: [TokenID], runOptions: RunOptions, cancel: CancelFlag) -> AsyncThrowingStream<GenerationEvent, any Error> {
        AsyncThrowingStream { continuation in
            queue.async { [loaded, promptCache] in
                guard !cancel.isCancelled else {
                    continuation.finish(throwing: CancellationError())
                    return
                }
                let generator = Generator(loaded, options: runOptions)
                var produced: [TokenID] = []
                do {
                    let stats = try generator.generate(prompt: prompt, cache: promptCache, emit: { piece in
                        continuation.yield(.text(piece))
                        return !cancel.isCancelled
                    }, onToken: { produced.append($0); return !cancel.isCancelled })
                    continuation.yield(.done(stats, tokens: produced))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
        }
    }

    /// Runs `work` on the runner's queue (embeddings, tokenizing long inputs) and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable (LoadedModel) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [loaded] in
                continuation.resume(with: Result { try work(loaded) })
            }
        }
    }
}
