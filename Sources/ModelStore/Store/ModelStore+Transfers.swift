import Synchronization

extension ModelStore {
    /// Runs `body` with `digests` protected from `delete` and `prune`: a pull must not lose a blob
    /// it found already present (or just downloaded) to a concurrent `rm` before its manifest,
    /// which will refer to that blob, is written.
    public func withPinnedBlobs<T, E: Error>(_ digests: Set<BlobDigest>, _ body: () async throws(E) -> T) async throws(E) -> T {
        pins.withLock { pins in for d in digests { pins[d, default: 0] += 1 } }
        defer {
            pins.withLock { pins in
                for d in digests {
                    let count = pins[d, default: 1] - 1
                    pins[d] = count > 0 ? count : nil
                }
            }
        }
        return try await body()
    }

    /// Removes those of `candidates` that no manifest refers to and no transfer has pinned: the
    /// layers a re-pulled tag no longer uses (`removing unused layers`). Returns what it removed.
    @discardableResult
    public func removeUnreferencedBlobs(_ candidates: Set<BlobDigest>) throws(ModelStoreError) -> [BlobDigest] {
        try lock.withLock { (_) throws(ModelStoreError) -> [BlobDigest] in try removeUnreferenced(candidates) }
    }

    /// The digest whose download `entry` in `blobs/` belongs to: the partial file
    /// (`sha256-<hex>-partial`) or a part state (`sha256-<hex>-partial-<N>`, `….tmp` while it is
    /// rewritten); nil for any other file.
    func partialDownload(_ entry: String) -> BlobDigest? {
        guard entry.count > 71, entry.dropFirst(71).hasPrefix("-partial"), let digest = BlobDigest(String(entry.prefix(71))) else { return nil }
        return digest
    }
}

extension ModelStore {
    /// The manifest file of `name` byte for byte, as a push sends it (its digest is the model's ID).
    public func manifestBytes(_ name: ModelName) throws(ModelStoreError) -> (stored: StoredManifest, bytes: [UInt8]) {
        let stored = try manifest(name)
        return (stored, try FileSystem.readFile(stored.path))
    }
}
