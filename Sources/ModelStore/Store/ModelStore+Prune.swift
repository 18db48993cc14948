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
            for entry in try FileSystem.entries(directory) ?? [] {
                let path = directory + "/" + entry
                guard let status = FileSystem.status(path), status.isRegularFile, status.modified.seconds < cutoff else { continue }
                if let digest = BlobDigest(entry), digest.fileName == entry {
                    guard !referenced.contains(digest) else { continue }
                    try FileSystem.removeFile(path)
                    report.removedBlobs.append(digest)
                } else if !isPartialDownload(entry, ofAnyOf: referenced) {
                    try FileSystem.removeFile(path)
                    report.removedFiles.append(entry)
                }
            }
            return report
        }
    }
}
