import Synchronization

extension ModelStore {
    /// `name` with each part spelled as an existing directory or manifest that matches it
    /// case-insensitively, so that writing `Llama3` next to `llama3` reuses the existing tree.
    public func canonicalName(for name: ModelName) throws(ModelStoreError) -> ModelName {
        try existingSpelling(of: name).name
    }

    /// Stores manifest bytes as given (a pulled manifest must keep the registry's bytes so its
    /// digest matches), after checking that they parse and that every blob they name is present.
    /// The file is replaced atomically (temporary file, fsync, rename).
    @discardableResult
    public func writeManifest(bytes: [UInt8], for name: ModelName) throws(ModelStoreError) -> StoredManifest {
        try lock.withLock { (_) throws(ModelStoreError) -> StoredManifest in try writeManifestLocked(bytes, for: name) }
    }

    /// Stores `manifest` serialized as Ollama serializes the manifests it creates.
    @discardableResult
    public func writeManifest(_ manifest: Manifest, for name: ModelName) throws(ModelStoreError) -> StoredManifest {
        try writeManifest(bytes: manifest.jsonBytes(), for: name)
    }

    func writeManifestLocked(_ bytes: [UInt8], for name: ModelName) throws(ModelStoreError) -> StoredManifest {
        let target = try canonicalName(for: name)
        let path = manifestPath(for: target)
        let manifest: Manifest
        do throws(ManifestError) { manifest = try Manifest(json: bytes) } catch { throw .corruptManifest(path: path, reason: error.reason) }
        for digest in manifest.referencedDigests.sorted() where !blobs.exists(digest) { throw .blobNotFound(digest) }
        try FileSystem.writeAtomically(bytes, to: path)
        let modified = FileSystem.status(path)?.modified ?? FileTime(seconds: 0, nanoseconds: 0)
        return StoredManifest(name: target, manifest: manifest, digest: .sha256(of: bytes), path: path, modifiedAt: modified)
    }

    /// Copies the manifest file of `source` to `destination` byte for byte (the blobs are
    /// shared, the ID stays the same). Copying a model onto itself changes nothing.
    @discardableResult
    public func copy(_ source: ModelName, to destination: ModelName) throws(ModelStoreError) -> StoredManifest {
        try lock.withLock { (_) throws(ModelStoreError) -> StoredManifest in
            let from = try manifest(source)
            let target = try canonicalName(for: destination)
            if manifestPath(for: target) == from.path { return from }
            return try writeManifestLocked(FileSystem.readFile(from.path), for: target)
        }
    }

    /// Deletes the manifest of `name`, removes the directories this leaves empty, then the
    /// blobs of that manifest (config included) that no remaining manifest refers to. Returns
    /// the blobs removed. A manifest that does not parse is deleted too; its blobs are left to
    /// `prune`.
    @discardableResult
    public func delete(_ name: ModelName) throws(ModelStoreError) -> [BlobDigest] {
        try lock.withLock { (_) throws(ModelStoreError) -> [BlobDigest] in
            guard let found = try resolve(name) else { throw .modelNotFound(name.displayShortest) }
            let path = manifestPath(for: found)
            let bytes = try FileSystem.readFile(path)
            try FileSystem.removeFile(path)
            removeEmptyDirectories(above: path)
            guard let manifest = try? Manifest(json: bytes) else { return [] }
            return try removeUnreferenced(manifest.referencedDigests)
        }
    }

    /// Removes those of `candidates` that no manifest refers to; the caller holds the lock.
    func removeUnreferenced(_ candidates: Set<BlobDigest>) throws(ModelStoreError) -> [BlobDigest] {
        let referenced = try referencedDigests()
        var removed: [BlobDigest] = []
        for digest in candidates.subtracting(referenced).sorted() where blobs.exists(digest) {
            try blobs.remove(digest)
            removed.append(digest)
        }
        return removed
    }

    /// Removes the now-empty model, namespace and host directories above a deleted manifest.
    private func removeEmptyDirectories(above path: String) {
        var directory = FileSystem.directoryName(path)
        while directory.count > manifestsDirectory.count, directory.hasPrefix(manifestsDirectory + "/"),
              FileSystem.removeEmptyDirectory(directory) {
            directory = FileSystem.directoryName(directory)
        }
    }
}
