import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ollama's model store over a root directory, in Ollama's exact layout, so it works in place on
/// an existing `~/.ollama/models`:
///
///     <root>/manifests/<host>/<namespace>/<model>/<tag>   manifest JSON
///     <root>/blobs/sha256-<hex>                           content-addressed blobs
///
/// Reads take no lock (manifests are replaced by rename, so a reader sees a whole file); changes
/// to manifests and garbage collection are serialized so that a delete never removes a blob that
/// a manifest being written in this process refers to.
public final class ModelStore: Sendable {
    /// Absolute path of the store's root.
    public let root: String
    /// The content-addressed `blobs/` directory.
    public let blobs: BlobStore
    /// Absolute path of `manifests/`.
    public let manifestsDirectory: String
    let lock = Mutex(())
    /// Blobs that transfers in progress need (pull count per digest): kept by `delete` and
    /// `prune` although no manifest refers to them yet (ModelStore+Pins.swift).
    let pins = Mutex<[BlobDigest: Int]>([:])

    /// A store over `root` (made absolute against the working directory). Nothing is created
    /// until something is written.
    public init(root: String) {
        var path = root.hasPrefix("/") ? root : Self.workingDirectory() + "/" + root
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.root = path
        blobs = BlobStore(directory: path + "/blobs")
        manifestsDirectory = path + "/manifests"
    }

    private static func workingDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "." }
        defer { free(cwd) }
        return String(cString: cwd)
    }

    /// The manifest file for `name`, spelled exactly as given.
    public func manifestPath(for name: ModelName) -> String { manifestsDirectory + "/" + name.manifestPath }

    // MARK: reading

    /// Every readable manifest, newest first (then by name). Entries whose path is not a valid
    /// name, and manifests that do not parse, are skipped, as Ollama skips them.
    public func list() throws(ModelStoreError) -> [StoredManifest] {
        try scan().manifests.sorted {
            $0.modifiedAt != $1.modifiedAt ? $0.modifiedAt > $1.modifiedAt : $0.name.description < $1.name.description
        }
    }

    /// The on-disk spelling of `name` if a manifest matches it case-insensitively (an exact
    /// match wins), else nil.
    public func resolve(_ name: ModelName) throws(ModelStoreError) -> ModelName? {
        let (spelled, complete) = try existingSpelling(of: name)
        return complete ? spelled : nil
    }

    /// The manifest of `name`, matched case-insensitively; `modelNotFound` when there is none.
    public func manifest(_ name: ModelName) throws(ModelStoreError) -> StoredManifest {
        guard let found = try resolve(name) else { throw .modelNotFound(name.displayShortest) }
        let path = manifestPath(for: found)
        let bytes = try FileSystem.readFile(path)
        guard let status = FileSystem.status(path) else { throw .modelNotFound(name.displayShortest) }
        return try Self.stored(found, bytes: bytes, path: path, modified: status.modified)
    }

    /// The path of the GGUF weights of `name` (its `application/vnd.ollama.image.model` layer).
    public func modelBlobPath(_ name: ModelName) throws(ModelStoreError) -> String {
        let stored = try manifest(name)
        guard let layer = stored.manifest.layers.last(where: { $0.mediaType == MediaType.model }) else {
            throw .noModelLayer(stored.name.displayShortest)
        }
        return blobs.path(for: layer.digest)
    }

    static func stored(_ name: ModelName, bytes: [UInt8], path: String, modified: FileTime) throws(ModelStoreError) -> StoredManifest {
        do throws(ManifestError) {
            return StoredManifest(name: name, manifest: try Manifest(json: bytes), digest: BlobDigest.sha256(of: bytes),
                                  path: path, modifiedAt: modified)
        } catch {
            throw .corruptManifest(path: path, reason: error.reason)
        }
    }

    /// What the directory tree holds: parsed manifests, plus every digest mentioned in manifest
    /// files that do not parse, so garbage collection never deletes what they may refer to.
    func scan() throws(ModelStoreError) -> (manifests: [StoredManifest], unreadableReferences: Set<BlobDigest>) {
        var manifests: [StoredManifest] = []
        var unreadable: Set<BlobDigest> = []
        let top = manifestsDirectory
        for host in try FileSystem.entries(top) ?? [] {
            for namespace in try FileSystem.entries(top + "/" + host) ?? [] {
                for model in try FileSystem.entries("\(top)/\(host)/\(namespace)") ?? [] {
                    for tag in try FileSystem.entries("\(top)/\(host)/\(namespace)/\(model)") ?? [] {
                        let path = "\(top)/\(host)/\(namespace)/\(model)/\(tag)"
                        guard let status = FileSystem.status(path), status.isRegularFile,
                              let name = try? ModelName(host: host, namespace: namespace, model: model, tag: tag),
                              let bytes = try? FileSystem.readFile(path)
                        else { continue }
                        if let stored = try? Self.stored(name, bytes: bytes, path: path, modified: status.modified) {
                            manifests.append(stored)
                        } else {
                            unreadable.formUnion(BlobDigest.mentions(in: bytes))
                        }
                    }
                }
            }
        }
        return (manifests, unreadable)
    }

    /// Every blob some manifest on disk may refer to, plus those pinned by transfers in progress.
    func referencedDigests() throws(ModelStoreError) -> Set<BlobDigest> {
        let (manifests, unreadable) = try scan()
        let pinned = pins.withLock { Set($0.keys) }
        return manifests.reduce(into: unreadable.union(pinned)) { $0.formUnion($1.manifest.referencedDigests) }
    }

    /// Walks `manifests/` replacing each part of `name` by a directory entry that matches it
    /// case-insensitively (an exact match first). `complete` says whether a manifest file was
    /// reached; otherwise the unmatched parts keep the spelling given.
    func existingSpelling(of name: ModelName) throws(ModelStoreError) -> (name: ModelName, complete: Bool) {
        if FileSystem.status(manifestPath(for: name))?.isRegularFile == true { return (name, true) }
        var parts = name.pathComponents
        var directory = manifestsDirectory
        for i in parts.indices {
            let isTag = i == parts.count - 1
            func fits(_ entry: String) -> Bool {
                guard let st = FileSystem.status(directory + "/" + entry) else { return false }
                return isTag ? st.isRegularFile : st.isDirectory
            }
            let entries = try FileSystem.entries(directory) ?? []
            let wanted = parts[i].lowercased()
            guard let match = (entries.contains(parts[i]) && fits(parts[i]) ? parts[i] : nil)
                ?? entries.first(where: { $0.lowercased() == wanted && fits($0) })
            else {
                return (try Self.name(parts, scheme: name.scheme), false)
            }
            parts[i] = match
            directory += "/" + match
        }
        return (try Self.name(parts, scheme: name.scheme), true)
    }

    private static func name(_ parts: [String], scheme: String) throws(ModelStoreError) -> ModelName {
        // Directory entries that matched a valid part case-insensitively are valid parts too.
        guard var name = try? ModelName(host: parts[0], namespace: parts[1], model: parts[2], tag: parts[3]) else {
            throw .corruptManifest(path: parts.joined(separator: "/"), reason: "path is not a valid model name")
        }
        name.scheme = scheme
        return name
    }
}
