import ModelStore
import NIOCore

/// Downloads one blob (§5.7): parts fetched concurrently as HTTP ranges into the pre-sized
/// `-partial` file, each part's progress saved after its bytes are written so a killed process
/// resumes where it stopped; the whole file is hashed before it becomes the blob, and a
/// corrupt download is discarded and fetched once more before giving up.
public struct BlobDownloader: Sendable {
    public var plan: PartPlan
    /// Part attempts that make no progress before the download fails.
    public var maxAttempts: Int
    /// How often (in bytes) a part's state is saved while it streams.
    public var saveInterval: Int
    /// Pause before retrying a broken part, doubled per failed attempt.
    public var backoff: Duration

    public init(plan: PartPlan = .ollama, maxAttempts: Int = 6, saveInterval: Int = 4 << 20, backoff: Duration = .seconds(1)) {
        self.plan = plan
        self.maxAttempts = maxAttempts
        self.saveInterval = saveInterval
        self.backoff = backoff
    }

    /// Fetches `digest` (`total` bytes) from `source` into `storage`; `completed` counts the
    /// bytes on disk (resumed bytes included) for progress reports.
    public func download(_ digest: BlobDigest, total: Int, from source: any BlobSource, into storage: any DownloadStorage,
                         completed: ByteCounter) async throws {
        do {
            try await attempt(digest, total: total, source: source, storage: storage, completed: completed)
        } catch RegistryError.store(.digestMismatch) {
            // The bytes on disk were damaged (in flight or by an older file): start over once.
            storage.discard(digest)
            completed.set(0)
            do {
                try await attempt(digest, total: total, source: source, storage: storage, completed: completed)
            } catch RegistryError.store(.digestMismatch(let expected, let actual)) {
                storage.discard(digest)
                throw RegistryError.digestMismatch(expected: expected, actual: actual)
            }
        }
    }

    private func attempt(_ digest: BlobDigest, total: Int, source: any BlobSource, storage: any DownloadStorage,
                         completed: ByteCounter) async throws {
        let (parts, resumed) = plan.resume(total: total, saved: storage.savedParts(of: digest))
        if !resumed { storage.discard(digest) }
        let file: any PartialFile
        do throws(ModelStoreError) { file = try storage.openPartial(of: digest, total: total, fresh: !resumed) } catch { throw RegistryError.store(error) }
        defer { file.close() }
        completed.set(parts.reduce(0) { $0 + $1.completed })
        do throws(ModelStoreError) {
            for part in parts { try storage.save(part, of: digest) }
        } catch {
            throw RegistryError.store(error)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for part in parts where !part.isComplete {
                group.addTask {
                    try await fetchPart(part, of: digest, source: source, file: file, storage: storage, completed: completed)
                }
            }
            try await group.waitForAll()
        }
        do throws(ModelStoreError) { try storage.commit(digest, parts: parts) } catch { throw RegistryError.store(error) }
    }

    /// Fetches what is missing of one part, retrying broken transfers from where they stopped.
    /// Store failures (disk full, permissions) and cancellation end it at once.
    private func fetchPart(_ start: PartState, of digest: BlobDigest, source: any BlobSource, file: any PartialFile,
                           storage: any DownloadStorage, completed: ByteCounter) async throws {
        var part = start
        var failures = 0
        while !part.isComplete {
            let before = part.completed
            var unsaved = 0
            do {
                try await source.fetch(part.resumeOffset...part.lastByte) { buffer in
                    guard part.completed + buffer.readableBytes <= part.size else {
                        throw RegistryError.badResponse(url: "part \(part.index) of \(digest)", reason: "more bytes than the range asked for")
                    }
                    do throws(ModelStoreError) {
                        try file.write(buffer, at: part.resumeOffset)
                        part.completed += buffer.readableBytes
                        completed.add(buffer.readableBytes)
                        unsaved += buffer.readableBytes
                        if unsaved >= saveInterval {
                            try storage.save(part, of: digest)
                            unsaved = 0
                        }
                    } catch {
                        throw RegistryError.store(error)
                    }
                }
                if !part.isComplete {
                    throw RegistryError.badResponse(url: "part \(part.index) of \(digest)", reason: "the range ended early")
                }
                try save(part, of: digest, storage)
            } catch {
                try save(part, of: digest, storage)
                if Task.isCancelled || error is CancellationError { throw CancellationError() }
                if let error = error as? RegistryError, error.isPermanent { throw error }
                // A part that moved forward starts its retry count afresh.
                failures = part.completed > before ? 1 : failures + 1
                if failures >= maxAttempts { throw error }
                try await Task.sleep(for: backoff * (1 << min(failures - 1, 4)))
            }
        }
    }

    private func save(_ part: PartState, of digest: BlobDigest, _ storage: any DownloadStorage) throws {
        do throws(ModelStoreError) { try storage.save(part, of: digest) } catch { throw RegistryError.store(error) }
    }
}
