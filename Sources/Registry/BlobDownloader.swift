import ModelStore
import NIOCore

/// Downloads one blob (§5.7) into the pre-sized `-partial` file: `connections` concurrent HTTP
/// range requests take the blob's slices in offset order, while a hasher reads the file behind
/// them, so the sha256 is known moments after the last byte instead of a whole re-read later.
/// Each part's progress is saved as its bytes are written (Ollama's part files), so a killed
/// process resumes where it stopped; a corrupt download is discarded and fetched once more
/// before giving up.
public struct BlobDownloader: Sendable {
    public var plan: PartPlan
    /// Part attempts that make no progress before the download fails.
    public var maxAttempts: Int
    /// How often (in bytes) a part's state is saved while it streams.
    public var saveInterval: Int
    /// Pause before retrying a broken part, doubled per failed attempt.
    public var backoff: Duration
    /// Bytes one range request asks for.
    public var sliceSize: Int
    /// Range requests in flight at once.
    public var connections: Int

    public init(plan: PartPlan = .ollama, maxAttempts: Int = 6, saveInterval: Int = 32 << 20, backoff: Duration = .seconds(1),
                sliceSize: Int = 8 << 20, connections: Int = 8) {
        self.plan = plan
        self.maxAttempts = maxAttempts
        self.saveInterval = saveInterval
        self.backoff = backoff
        self.sliceSize = sliceSize
        self.connections = connections
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
        let ledger = DownloadLedger(parts: parts, sliceSize: sliceSize, saveInterval: saveInterval) { (part) throws(ModelStoreError) in
            try storage.save(part, of: digest)
        }
        let actual: BlobDigest
        do {
            actual = try await withThrowingTaskGroup(of: BlobDigest?.self) { group in
                group.addTask { try await Self.hash(file, of: digest, total: total, frontiers: ledger.frontiers) }
                var workers = min(connections, ledger.slices.count)
                for _ in 0..<workers {
                    group.addTask {
                        while let slice = ledger.take() {
                            try await fetch(slice, of: digest, source: source, file: file, ledger: ledger, completed: completed)
                        }
                        return nil
                    }
                }
                var hashed: BlobDigest?
                if workers == 0 { ledger.finish() }
                while let result = try await group.next() {
                    guard let result else {
                        // The last slice is written: the hasher reads to the end and stops.
                        workers -= 1
                        if workers == 0 { ledger.finish() }
                        continue
                    }
                    hashed = result
                }
                return hashed!
            }
        } catch {
            ledger.finish()
            // Whatever was written counts for the next attempt; a disk that refuses this too
            // leaves the last saved states, which are behind the bytes and so still true.
            try? ledger.saveAll()
            throw error
        }
        do throws(ModelStoreError) { try storage.commit(digest, hashed: actual, parts: parts) } catch { throw RegistryError.store(error) }
    }

    /// Fetches one slice, retrying a broken transfer from where it stopped. Store failures (disk
    /// full, permissions) and cancellation end it at once.
    private func fetch(_ slice: DownloadLedger.Slice, of digest: BlobDigest, source: any BlobSource, file: any PartialFile,
                       ledger: DownloadLedger, completed: ByteCounter) async throws {
        var received = 0
        var failures = 0
        while received < slice.count {
            let before = received
            do {
                try await source.fetch((slice.start + received)...(slice.start + slice.count - 1)) { buffer in
                    guard received + buffer.readableBytes <= slice.count else {
                        throw RegistryError.badResponse(url: "bytes \(slice.start)-\(slice.start + slice.count - 1) of \(digest)",
                                                        reason: "more bytes than the range asked for")
                    }
                    do throws(ModelStoreError) {
                        try file.write(buffer, at: slice.start + received)
                        received += buffer.readableBytes
                        completed.add(buffer.readableBytes)
                        try ledger.record(slice, received: received)
                    } catch {
                        throw RegistryError.store(error)
                    }
                }
                if received < slice.count {
                    throw RegistryError.badResponse(url: "bytes \(slice.start)-\(slice.start + slice.count - 1) of \(digest)",
                                                    reason: "the range ended early")
                }
            } catch {
                if Task.isCancelled || error is CancellationError { throw CancellationError() }
                if let error = error as? RegistryError, error.isPermanent { throw error }
                // A slice that moved forward starts its retry count afresh.
                failures = received > before ? 1 : failures + 1
                if failures >= maxAttempts { throw error }
                try await Task.sleep(for: backoff * (1 << min(failures - 1, 4)))
            }
        }
    }

    /// Hashes the file from offset 0 up to each new frontier; the digest once all `total` bytes
    /// are. Every 16 MiB hashed, the kernel is asked to start writing those bytes to the disk, so
    /// the sync before the blob's rename waits for the last few only. (A periodic `fdatasync`
    /// did the same but forced journal commits that stalled the part-state renames behind it.)
    private static func hash(_ file: any PartialFile, of digest: BlobDigest, total: Int, frontiers: AsyncStream<Int>) async throws -> BlobDigest {
        var hasher = BlobHasher()
        var hashed = 0
        var flushed = 0
        for await frontier in frontiers {
            if hashed < frontier {
                // Straight from the page cache (the file is mapped): nothing is copied.
                do throws(ModelStoreError) { hasher.update(try file.written(from: hashed, count: frontier - hashed)) } catch {
                    throw RegistryError.store(error)
                }
                hashed = frontier
            }
            if hashed - flushed >= 16 << 20 {
                file.startWriteback(from: flushed, count: hashed - flushed)
                flushed = hashed
            }
            if hashed >= total { return hasher.finalize() }
        }
        try Task.checkCancellation()
        throw RegistryError.badResponse(url: "the download of \(digest)", reason: "its slices ended at \(hashed) of \(total) bytes")
    }
}
