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
///
/// Up to `parallel` generations run at once (TERN_NUM_PARALLEL, continuous batching): a new
/// request's prompt is processed as soon as a slot is free, then every decode step feeds one
/// token of each running generation through one forward pass, so the weights are read once for
/// all of them; each generation's tokens are exactly those it would get alone. Requests beyond
/// the slots wait in arrival order.
final class Runner: @unchecked Sendable {
    let name: String
    let path: String
    let digest: String
    let details: ModelDetails
    let loaded: LoadedModel
    let options: LoadOptions
    /// Request slots: generations decoded together.
    let parallel: Int
    /// Bytes the runner occupies: the mapped weights plus each slot's KV cache.
    let sizeBytes: Int
    private let queue: DispatchQueue
    /// Per slot, the last generation's KV cache: a chat's next turn reuses its shared prefix.
    private let promptCaches: [PromptCache]
    /// Generations waiting for a slot, other work waiting for the queue (embeddings), and whether
    /// the decode loop is running (it drains both, the other work between two decode steps).
    private let waiting = Mutex<(jobs: [GenerationJob], work: [@Sendable () -> Void], looping: Bool)>(([], [], false))

    // Scheduler-owned bookkeeping (only touched on the scheduler actor).
    var references = 0
    var keepAlive: KeepAlive
    var expiresAt: Int64 = 0
    var lastUsed: UInt64 = 0
    var expiryTask: Task<Void, Never>?
    var unloadRequested = false

    init(name: String, path: String, digest: String, details: ModelDetails, loaded: LoadedModel, options: LoadOptions,
         parallel: Int, sizeBytes: Int, keepAlive: KeepAlive) {
        self.name = name
        self.path = path
        self.digest = digest
        self.details = details
        self.loaded = loaded
        self.options = options
        self.parallel = max(1, parallel)
        self.sizeBytes = sizeBytes
        self.keepAlive = keepAlive
        queue = DispatchQueue(label: "tern.runner.\(name)")
        promptCaches = (0..<max(1, parallel)).map { _ in PromptCache() }
    }

    /// Streams a generation of `prompt` with `runOptions`; `cancel` stops it within a token.
    func generate(prompt: [TokenID], runOptions: RunOptions, cancel: CancelFlag) -> AsyncThrowingStream<GenerationEvent, any Error> {
        AsyncThrowingStream { continuation in
            let job = GenerationJob(prompt: prompt, options: runOptions, cancel: cancel, continuation: continuation)
            let start = waiting.withLock { w in
                w.jobs.append(job)
                defer { w.looping = true }
                return !w.looping
            }
            if start { queue.async { self.decodeLoop() } }
        }
    }

    /// Runs `work` on the runner's queue (embeddings, tokenizing long inputs) and returns its result.
    /// While generations run, it runs between two of their decode steps, so it never waits for them
    /// to end.
    func run<T: Sendable>(_ work: @escaping @Sendable (LoadedModel) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let task: @Sendable () -> Void = { [loaded] in continuation.resume(with: Result { try work(loaded) }) }
            let queued = waiting.withLock { w in
                if w.looping { w.work.append(task) }
                return w.looping
            }
            if !queued { queue.async(execute: task) }
        }
    }

    /// A generation holding a slot: its run, the token to feed next, and the slot's cache.
    private struct Active {
        let job: GenerationJob
        let run: GenerationRun
        var next: TokenID
        let slot: Int
    }

    /// Admits waiting jobs into free slots (processing their prompts) and steps every running
    /// generation until none is left and none waits. Runs on the runner's queue.
    private func decodeLoop() {
        var active: [Active] = []
        var busy = Set<Int>()
        while true {
            for task in waiting.withLock({ w in defer { w.work = [] }; return w.work }) { task() }
            while active.count < parallel, let job = nextJob(idle: active.isEmpty) {
                if let admitted = admit(job, busy: busy) {
                    active.append(admitted)
                    busy.insert(admitted.slot)
                }
            }
            if active.isEmpty {
                // nextJob(idle: true) found nothing and cleared `looping` under the lock.
                return
            }
            let vocab = loaded.model.vocabularySize
            let logits: UnsafeMutableBufferPointer<Float>
            do {
                logits = active.count == 1
                    ? try loaded.model.forward([active[0].next], state: active[0].run.state, allLogits: false)
                    : try loaded.model.forward(oneTokenEach: active.map(\.next), states: active.map(\.run.state))
            } catch {
                for a in active { a.job.continuation.finish(throwing: error) }
                return finishLoop()
            }
            var still: [Active] = []
            for (i, var a) in active.enumerated() {
                let row = UnsafeMutableBufferPointer(rebasing: logits[(i * vocab)..<((i + 1) * vocab)])
                do {
                    if let next = try a.run.advance(logits: row) {
                        a.next = next
                        still.append(a)
                        continue
                    }
                    a.job.finish(a.run.finish())
                } catch {
                    a.job.continuation.finish(throwing: error)
                }
                busy.remove(a.slot)
            }
            active = still
        }
    }

    /// The first waiting job, or nil. With `idle` (no generation running), an empty queue also
    /// ends the loop, under the same lock new jobs and work are queued under, so none is left
    /// waiting: other work that arrived meanwhile goes to the queue.
    private func nextJob(idle: Bool) -> GenerationJob? {
        let (job, leftover) = waiting.withLock { w -> (GenerationJob?, [@Sendable () -> Void]) in
            if w.jobs.isEmpty {
                guard idle else { return (nil, []) }
                w.looping = false
                defer { w.work = [] }
                return (nil, w.work)
            }
            return (w.jobs.removeFirst(), [])
        }
        for task in leftover { queue.async(execute: task) }
        return job
    }

    /// Ends the loop after a failed step: jobs still waiting get their turn in a new one, other
    /// work goes to the queue.
    private func finishLoop() {
        let (again, leftover) = waiting.withLock { w -> (Bool, [@Sendable () -> Void]) in
            w.looping = !w.jobs.isEmpty
            if w.looping { return (true, []) }  // the new loop runs the work
            defer { w.work = [] }
            return (false, w.work)
        }
        for task in leftover { queue.async(execute: task) }
        if again { queue.async { self.decodeLoop() } }
    }

    /// Starts `job` in the free slot whose cache shares the longest prefix with its prompt: its
    /// prompt is processed and its first token sampled. Nil when it ended there (cancelled, one
    /// token, an error), its stream finished.
    private func admit(_ job: GenerationJob, busy: Set<Int>) -> Active? {
        guard !job.cancel.isCancelled else {
            job.continuation.finish(throwing: CancellationError())
            return nil
        }
        let free = (0..<parallel).filter { !busy.contains($0) }.map { (slot: $0, shared: promptCaches[$0].matchingPrefix(job.prompt)) }
        let slot = free.max { $0.shared < $1.shared }!.slot
        do {
            let run = try GenerationRun(loaded, options: job.options, prompt: job.prompt, cache: promptCaches[slot], emit: { piece in
                job.continuation.yield(.text(piece))
                return !job.cancel.isCancelled
            }, onToken: { token in
                job.produced.append(token)
                return !job.cancel.isCancelled
            })
            let logits = try run.prefill()
            if let next = try run.advance(logits: logits) { return Active(job: job, run: run, next: next, slot: slot) }
            job.finish(run.finish())
        } catch {
            job.continuation.finish(throwing: error)
        }
        return nil
    }
}

/// A request for a generation: its prompt and options, the stream its events go to, and the
/// token ids it has produced so far (Ollama's `context`).
private final class GenerationJob: @unchecked Sendable {
    let prompt: [TokenID]
    let options: RunOptions
    let cancel: CancelFlag
    let continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
    var produced: [TokenID] = []

    init(prompt: [TokenID], options: RunOptions, cancel: CancelFlag,
         continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation) {
        self.prompt = prompt
        self.options = options
        self.cancel = cancel
        self.continuation = continuation
    }

    func finish(_ stats: GenerationStats) {
        continuation.yield(.done(stats, tokens: produced))
        continuation.finish()
    }
}
