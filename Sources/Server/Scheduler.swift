import JSON
import Sampling
import ModelStore
import GGUF
import Engine
import Logging
import Models
import OllamaAPI

/// Which model a request wants, resolved from the store, and how it must be loaded.
struct ModelRequest: Sendable {
    var name: String
    var path: String
    var digest: String
    var details: ModelDetails
    var options: LoadOptions
    var keepAlive: KeepAlive?
}

/// Loads models on first use, keeps them for their keep-alive, evicts the least valuable one when
/// `maxLoadedModels` is reached, refuses a load that would not fit in memory, and bounds the
/// number of requests waiting (spec §6.3). Runners are keyed by weights path, as Ollama keys them.
actor Scheduler {
    private let config: ServerConfig
    private let memory: MemoryBudget
    private let logger: Logger
    private var runners: [String: Runner] = [:]
    private var pending = 0
    private var loadInProgress = false

    init(config: ServerConfig, memory: MemoryBudget, logger: Logger) {
        self.config = config
        self.memory = memory
        self.logger = logger
    }

    /// A runner for `request`, loaded if needed; the caller must `release` it. `cancel` aborts the wait.
    func acquire(_ request: ModelRequest, cancel: CancelFlag) async throws(APIError) -> Runner {
        if let runner = runners[request.path], runner.options == request.options, !runner.unloadRequested {
            return use(runner, keepAlive: request.keepAlive)
        }
        guard pending < config.maxQueue else { throw .serverBusy }
        pending += 1
        defer { pending -= 1 }
        while true {
            if cancel.isCancelled { throw .requestCanceled }
            if let runner = runners[request.path] {
                if runner.options == request.options && !runner.unloadRequested {
                    return use(runner, keepAlive: request.keepAlive)
                }
                // Different load options: retire the loaded one once its requests finish.
                runner.unloadRequested = true
                if runner.references == 0 { unload(runner) }
            } else if runners.count >= config.maxLoadedModels, let victim = pickVictim() {
                victim.unloadRequested = true
                if victim.references == 0 { unload(victim) }
            } else if !loadInProgress {
                loadInProgress = true
                defer { loadInProgress = false }
                let runner = try await load(request)
                runners[request.path] = runner
                return use(runner, keepAlive: request.keepAlive)
            }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    private func use(_ runner: Runner, keepAlive: KeepAlive?) -> Runner {
        runner.references += 1
        runner.expiryTask?.cancel()
        runner.expiryTask = nil
        if let keepAlive { runner.keepAlive = keepAlive }
        runner.lastUsed = Monotonic.now()
        runner.expiresAt = expiry(of: runner.keepAlive)
        return runner
    }

    /// Hands a runner back; at zero references it unloads (keep-alive 0 or retired) or arms its timer.
    func release(_ runner: Runner) {
        runner.references -= 1
        runner.lastUsed = Monotonic.now()
        guard runner.references == 0 else { return }
        if runner.unloadRequested || runner.keepAlive.isZero {
            unload(runner)
            return
        }
        runner.expiresAt = expiry(of: runner.keepAlive)
        guard case .duration(let ns) = runner.keepAlive else { return }
        runner.expiryTask = Task { [weak self] in
            try? await Task.sleep(nanoseconds: ns)
            guard !Task.isCancelled else { return }
            await self?.expire(runner)
        }
    }

    private func expire(_ runner: Runner) {
        guard runners[runner.path] === runner, runner.references == 0 else { return }
        unload(runner)
    }

    /// `keep_alive: 0` on an empty request: unload as soon as the model is idle. Returns whether it was loaded.
    func requestUnload(path: String) -> Bool {
        guard let runner = runners[path] else { return false }
        runner.unloadRequested = true
        if runner.references == 0 { unload(runner) }
        return true
    }

    private func unload(_ runner: Runner) {
        runner.expiryTask?.cancel()
        runner.expiryTask = nil
        guard runners[runner.path] === runner else { return }
        runners[runner.path] = nil
        logger.info("unloaded model", metadata: ["model": "\(runner.name)"])
    }

    /// Idle runners first, then the one with the shortest keep-alive (spec §6.3 victim choice).
    private func pickVictim() -> Runner? {
        func seconds(_ k: KeepAlive) -> UInt64 { if case .duration(let ns) = k { ns } else { .max } }
        let ordered = runners.values.sorted {
            seconds($0.keepAlive) != seconds($1.keepAlive) ? seconds($0.keepAlive) < seconds($1.keepAlive) : $0.path < $1.path
        }
        return ordered.first { $0.references == 0 } ?? ordered.first
    }

    private func load(_ request: ModelRequest) async throws(APIError) -> Runner {
        let started = Monotonic.now()
        let threads = request.options.numThread
        let result = await Task.detached { () -> Result<LoadedModel, any Error> in
            Result { try LoadedModel(path: request.path, threads: threads) }
        }.value
        let loaded: LoadedModel
        switch result {
        case .success(let l): loaded = l
        case .failure(let error): throw .serverError("failed to load model \(request.name): \(error)")
        }
        let cacheType = KVCacheType(rawValue: request.options.kvCacheType) ?? .f16
        let perToken = (try? loaded.model.makeState(contextSize: 1, batchSize: 1, pool: loaded.pool, cacheType: cacheType))?.cacheBytesPerToken ?? 0
        let context = min(request.options.numCtx, max(loaded.model.trainedContextLength, 4))
        // Every request slot keeps its own cache (Ollama multiplies the context by num_parallel too).
        let size = loaded.file.fileSize + perToken * context * config.numParallel
        let others = runners.values.reduce(0) { $0 + $1.sizeBytes }
        if let refusal = memory.refusal(needed: size, alreadyUsed: others) { throw .serverError(refusal) }
        logger.info("loaded model", metadata: [
            "model": "\(request.name)", "ctx": "\(context)", "size": "\(size)",
            "load_ms": "\((Monotonic.now() - started) / 1_000_000)",
        ])
        return Runner(name: request.name, path: request.path, digest: request.digest, details: request.details, loaded: loaded,
                      options: request.options, parallel: config.numParallel, sizeBytes: size, keepAlive: request.keepAlive ?? config.keepAlive)
    }

    private func expiry(of keepAlive: KeepAlive) -> Int64 {
        switch keepAlive {
        // Ollama shows ~292 years ahead (Go's largest duration); nanoseconds since 1970 reach only
        // year 2262 in 64 bits, so "forever" is 200 years, far past the CLI's 20-year `Forever` cut.
        case .forever: Timestamp.nowNanoseconds() + 200 * 365 * 86_400 * 1_000_000_000
        case .duration(let ns): Timestamp.nowNanoseconds() + Int64(ns)
        }
    }

    /// The loaded models for `/api/ps`, latest expiry first.
    func running() -> [RunningModel] {
        runners.values.sorted { $0.expiresAt > $1.expiresAt }.map { r in
            let expires = r.references > 0 ? expiry(of: r.keepAlive) : r.expiresAt
            return RunningModel(name: r.name, size: r.sizeBytes, digest: r.digest, details: r.details,
                                expiresAt: Timestamp.format(seconds: Int(expires / 1_000_000_000), nanoseconds: Int(expires % 1_000_000_000), local: true),
                                sizeVRAM: 0, contextLength: min(r.options.numCtx, max(r.loaded.model.trainedContextLength, 4)))
        }
    }

    /// Whether a runner for `path` is loaded (for tests and the unload reply).
    func isLoaded(path: String) -> Bool { runners[path] != nil }

    /// Drops every runner (shutdown).
    func unloadAll() {
        for runner in runners.values { unload(runner) }
    }
}
