#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of a download in progress, named as Ollama names them so either program can resume
/// the other's download (§5.1): `sha256-<hex>-partial` holds the bytes at their offsets, and
/// `sha256-<hex>-partial-<N>` the state of part N.
extension BlobStore {
    /// The pre-sized file the parts are written into.
    public func partialPath(for digest: BlobDigest) -> String { path(for: digest) + "-partial" }

    /// The JSON state file of part `index`.
    public func partStatePath(for digest: BlobDigest, index: Int) -> String { partialPath(for: digest) + "-\(index)" }

    /// Makes sure `blobs/` exists before a download creates its files there.
    public func prepareDirectory() throws(ModelStoreError) { try FileSystem.makeDirectories(directory) }

    /// Makes the finished `-partial` file the blob (0644) when `actual`, its hash as the download
    /// computed it, is `digest`; a mismatch removes the partial file, so the next attempt starts
    /// clean. The part state files are the caller's to remove.
    public func commitDownload(of digest: BlobDigest, hashed actual: BlobDigest) throws(ModelStoreError) {
        let partial = partialPath(for: digest)
        guard actual == digest else {
            unlink(partial)
            throw .digestMismatch(expected: digest, actual: actual)
        }
        let fd = open(partial, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(errno, "open", partial) }
        let synced = fsync(fd) == 0
        let syncError = errno
        close(fd)
        guard synced else { throw .system(syncError, "sync", partial) }
        try FileSystem.move(partial, to: path(for: digest))
        chmod(path(for: digest), 0o644)
        FileSystem.syncDirectory(directory)
    }
}
