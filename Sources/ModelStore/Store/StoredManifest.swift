/// A manifest as found on disk: the model's name in the spelling of its directories, the
/// parsed manifest, and the facts `/api/tags` reports about the file.
public struct StoredManifest: Hashable, Sendable {
    public var name: ModelName
    public var manifest: Manifest
    /// SHA-256 of the manifest file's bytes: the model's ID (`/api/tags` shows `digest.hex`,
    /// the CLI its first 12 characters).
    public var digest: BlobDigest
    /// Absolute path of the manifest file.
    public var path: String
    /// The manifest file's mtime (`modified_at`).
    public var modifiedAt: FileTime

    /// Layers plus config, in bytes (`size` in `/api/tags`).
    public var size: Int { manifest.totalSize }
}
