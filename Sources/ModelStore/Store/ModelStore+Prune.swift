import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `prune` changed in `blobs/`.
public struct PruneReport: Hashable, Sendable {
    /// Blobs no manifest referred to.
    public var removedBlobs: [BlobDigest] = []
    /// Files whose names are not blob names: stale partial downloads and temporaries.
    public var removedFiles: [String] = []
    /// Legacy `sha256:<hex>` names renamed to `sha256-<hex>`.
    public var renamedFiles: [String] = []
}

extension ModelStore {
    /// Ollama's start-up maintenance of `blobs/` (§5.1): renames legacy `sha256:<hex>` blobs,
    /// then deletes files not touched for `gracePeriod` seconds that are either blobs no manifest
    /// refers to or not blobs at all (`-partial` downloads, temporaries left by a crash). The
    /// grace period protects uploads and downloads in progress; the partial files of a download
    /// that is pinned (in progress in this process) are kept however old they are.
    @discardableResult
    public func prune(gracePeriod: Int = 3600) throws(ModelStoreError) -> PruneReport {
        try lock.withLock { (_) throws(ModelStoreError) -> PruneReport in
            var report = PruneReport()
            let directory = blobs.directory
            let cutoff = Int(time(nil)) - gracePeriod
            for entry in try FileSystem.entries(directory) ?? [] {
                if let digest = BlobDigest(entry), entry.hasPrefix("sha256:") {
                    let target = blobs.path(for: digest)
                    if FileSystem.status(target) == nil { try FileSystem.move(directory + "/" + entry, to: target) } else { try FileSystem.removeFile(directory + "/" + entry) }
                    report.renamedFiles.append(entry)
                }
            }
            let referenced = try referencedDigests()
            let entries = try FileSystem.entries(directory) ?? []
            // A download's files age together: the state of a part that finished early is not
            // rewritten while the other parts still write the `-partial` file, and losing it
            // would make the download start over.
            var lastTouched: [BlobDigest: Int] = [:]
            for entry in entries {
                guard let digest = partialDownload(entry), let status = FileSystem.status(directory + "/" + entry) else { continue }
                lastTouched[digest] = max(lastTouched[digest] ?? .min, status.modified.seconds)
            }
            for entry in entries {
                let path = directory + "/" + entry
                guard let status = FileSystem.status(path), status.isRegularFile else { continue }
                if let digest = partialDownload(entry) {
                    guard !referenced.contains(digest), lastTouched[digest, default: .max] < cutoff else { continue }
                    try FileSystem.removeFile(path)
                    report.removedFiles.append(entry)
                } else if status.modified.seconds < cutoff {
                    if let digest = BlobDigest(entry), digest.fileName == entry {
                        guard !referenced.contains(digest) else { continue }
                        try FileSystem.removeFile(path)
                        report.removedBlobs.append(digest)
                    } else {
                        try FileSystem.removeFile(path)
                        report.removedFiles.append(entry)
                    }
                }
            }
            return report
        }
    }
}
