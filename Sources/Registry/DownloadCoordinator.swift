import ModelStore

/// One download per digest in this process (§5.7): a pull that needs a blob another pull is
/// already fetching waits on that download and reports its progress; the download is cancelled
/// when the last pull waiting on it goes away.
public actor DownloadCoordinator {
    final class Download: Sendable {
        let task: Task<Void, any Error>
        let progress: ByteCounter
        let id: Int
        init(task: Task<Void, any Error>, progress: ByteCounter, id: Int) {
            self.task = task
            self.progress = progress
            self.id = id
        }
    }

    private var downloads: [BlobDigest: Download] = [:]
    /// The waiters of each download (by download id); leaving twice is harmless.
    private var waiters: [Int: Set<Int>] = [:]
    private var nextID = 0

    public init() {}

    /// Waits for `digest` to be downloaded by `start` (or by the download already under way),
    /// calling `progress` with the bytes on disk about every 60 ms.
    public nonisolated func download(_ digest: BlobDigest, start: @escaping @Sendable (ByteCounter) async throws -> Void,
                                     progress: @escaping @Sendable (Int) async -> Void) async throws {
        let (download, waiter) = await join(digest, start: start)
        let ticker = Task {
            while !Task.isCancelled {
                await progress(download.progress.value)
                try? await Task.sleep(for: .milliseconds(60))
            }
        }
        let result: Result<Void, any Error>
        do {
            try await withTaskCancellationHandler {
                try await download.task.value
            } onCancel: {
                Task { await self.leave(download, waiter) }
            }
            result = .success(())
        } catch {
            result = .failure(error)
        }
        // The ticker ends before the last report, so no stale progress follows it.
        ticker.cancel()
        await ticker.value
        await leave(download, waiter)
        try result.get()
        await progress(download.progress.value)
    }

    private func join(_ digest: BlobDigest, start: @escaping @Sendable (ByteCounter) async throws -> Void) -> (Download, Int) {
        nextID += 1
        let waiter = nextID
        if let running = downloads[digest] {
            waiters[running.id, default: []].insert(waiter)
            return (running, waiter)
        }
        nextID += 1
        let id = nextID
        let progress = ByteCounter()
        let task = Task {
            do {
                try await start(progress)
            } catch {
                self.finished(digest, id: id)
                throw error
            }
            self.finished(digest, id: id)
        }
        let download = Download(task: task, progress: progress, id: id)
        downloads[digest] = download
        waiters[id] = [waiter]
        return (download, waiter)
    }

    private func leave(_ download: Download, _ waiter: Int) {
        guard var remaining = waiters[download.id], remaining.remove(waiter) != nil else { return }
        waiters[download.id] = remaining
        if remaining.isEmpty { download.task.cancel() }
    }

    private func finished(_ digest: BlobDigest, id: Int) {
        if downloads[digest]?.id == id { downloads[digest] = nil }
        waiters[id] = nil
    }
}
