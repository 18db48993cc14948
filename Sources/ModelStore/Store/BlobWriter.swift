import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One blob being written: bytes go to a temporary file in `blobs/` and into SHA-256 at the same
/// time, so a many-gigabyte upload never sits in memory. `commit()` checks the digest and renames
/// the file into place; any failure, `discard()`, or dropping the writer removes the temporary
/// file, so a bad or interrupted upload leaves nothing behind.
public final class BlobWriter {
    private let directory: String
    private var expected: BlobDigest?
    /// Named like Ollama's temporaries (`sha256-<random>`): not a valid digest, so start-up
    /// pruning removes any left by a crash.
    private let tempPath: String
    private var fd: Int32
    private var hasher = SHA256()
    private var count = 0

    init(directory: String, expected: BlobDigest?) throws(ModelStoreError) {
        self.directory = directory
        self.expected = expected
        tempPath = directory + "/sha256-" + FileSystem.randomHex() + ".tmp"
        fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system(errno, "create", tempPath) }
    }

    deinit { discard() }

    /// Bytes written so far.
    public var bytesWritten: Int { count }

    /// Appends a chunk (e.g. one buffer of a request body). A failed write discards the file.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(ModelStoreError) {
        guard fd >= 0 else { throw .fileSystem(path: tempPath, operation: "write", reason: "writer already finished") }
        do throws(ModelStoreError) {
            try FileSystem.writeAll(fd, bytes, path: tempPath)
        } catch {
            discard()
            throw error
        }
        hasher.update(bufferPointer: bytes)
        count += bytes.count
    }

    /// Appends a chunk held in an array.
    public func write(_ bytes: [UInt8]) throws(ModelStoreError) {
        try FileSystem.withBytes(bytes) { (raw) throws(ModelStoreError) in try write(raw) }
    }

    /// Verifies the digest and moves the file to `blobs/sha256-<hex>` (0644). When that blob
    /// already exists the new copy is dropped and the old one's mtime refreshed, as Ollama does,
    /// so start-up pruning treats it as recently used.
    public func commit() throws(ModelStoreError) -> BlobWriteResult {
        guard fd >= 0 else { throw .fileSystem(path: tempPath, operation: "commit", reason: "writer already finished") }
        let actual = BlobDigest(hashBytes: hasher.finalize())
        if let expected, expected != actual {
            discard()
            throw .digestMismatch(expected: expected, actual: actual)
        }
        if fsync(fd) != 0 {
            let code = errno
            discard()
            throw .system(code, "sync", tempPath)
        }
        close(fd)
        fd = -1
        let target = directory + "/" + actual.fileName
        if FileSystem.status(target)?.isRegularFile == true {
            unlink(tempPath)
            utimes(target, nil)
            return BlobWriteResult(digest: actual, size: count, created: false)
        }
        try FileSystem.move(tempPath, to: target)
        chmod(target, 0o644)
        FileSystem.syncDirectory(directory)
        return BlobWriteResult(digest: actual, size: count, created: true)
    }

    /// Commits a write whose digest is known only at its end (a registry upload names it in
    /// its final `PUT ?digest=`): a different hash discards the file, as with `makeWriter(expecting:)`.
    public func commit(expecting digest: BlobDigest) throws(ModelStoreError) -> BlobWriteResult {
        expected = digest
        return try commit()
    }

    /// Abandons the write and removes the temporary file.
    public func discard() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(tempPath)
    }
}
