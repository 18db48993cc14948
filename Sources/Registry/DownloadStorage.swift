import CFileIO
import ModelStore
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a download keeps its bytes and its part states until the blob is verified. The store's
/// `blobs/` directory in production; tests wrap it to make writes fail like a full disk.
public protocol DownloadStorage: Sendable {
    /// Part states a previous attempt left (read back from `-partial-<N>` files).
    func savedParts(of digest: BlobDigest) -> [PartState]
    /// The `-partial` file, sized to `total`; `fresh` throws away whatever it held.
    func openPartial(of digest: BlobDigest, total: Int, fresh: Bool) throws(ModelStoreError) -> any PartialFile
    /// Records how far a part has got.
    func save(_ part: PartState, of digest: BlobDigest) throws(ModelStoreError)
    /// Makes the partial file the blob (removing the part states) when `actual`, the hash of its
    /// bytes, is `digest`; a mismatch removes the partial file and throws `digestMismatch`.
    func commit(_ digest: BlobDigest, hashed actual: BlobDigest, parts: [PartState]) throws(ModelStoreError)
    /// Removes the partial file and every part state of `digest`.
    func discard(_ digest: BlobDigest)
}

/// The pre-sized file a download's parts write into at their offsets, and read back from to be
/// hashed while the download goes on.
public protocol PartialFile: Sendable {
    func write(_ bytes: ByteBuffer, at offset: Int) throws(ModelStoreError)
    /// The `count` bytes from `offset`, which must have been written, readable until `close`.
    func written(from offset: Int, count: Int) throws(ModelStoreError) -> UnsafeRawBufferPointer
    /// Asks the kernel to start writing `count` bytes from `offset` to the disk without waiting
    /// for them or for a journal commit, so the sync before the blob's rename
    /// (BlobStore.commitDownload) finds little left.
    func startWriteback(from offset: Int, count: Int)
    func close()
}

/// `DownloadStorage` in the store's `blobs/`, in Ollama's file names.
public struct BlobDownloadStorage: DownloadStorage {
    public let blobs: BlobStore

    public init(blobs: BlobStore) { self.blobs = blobs }

    public func savedParts(of digest: BlobDigest) -> [PartState] {
        var parts: [PartState] = []
        var index = 0
        // Part files are numbered from 0 without gaps; the first missing number ends the list.
        while let bytes = Self.read(blobs.partStatePath(for: digest, index: index)), let part = PartStateFile.decode(bytes) {
            parts.append(part)
            index += 1
        }
        return parts
    }

    public func openPartial(of digest: BlobDigest, total: Int, fresh: Bool) throws(ModelStoreError) -> any PartialFile {
        try blobs.prepareDirectory()
        let path = blobs.partialPath(for: digest)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | (fresh ? O_TRUNC : 0), 0o644)
        guard fd >= 0 else { throw .failedCall(errno, "create", path: path) }
        // Sparse and full-sized from the start, so every part writes at its own offset.
        guard ftruncate(fd, off_t(total)) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .failedCall(code, "resize", path: path)
        }
        // Mapped for the hasher, which then reads the page cache in place instead of copying it out.
        var mapping: UnsafeRawPointer?
        if total > 0 {
            let address: UnsafeMutableRawPointer? = mmap(nil, total, PROT_READ, MAP_SHARED, fd, 0)
            guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
                let code = errno
                Glibc.close(fd)
                throw .failedCall(code, "map", path: path)
            }
            madvise(address, total, MADV_SEQUENTIAL)
            mapping = UnsafeRawPointer(address)
        }
        return DiskPartialFile(fd: fd, path: path, mapping: mapping, total: total)
    }

    public func save(_ part: PartState, of digest: BlobDigest) throws(ModelStoreError) {
        let path = blobs.partStatePath(for: digest, index: part.index)
        // Rename over the old state so a killed process leaves the previous state, never half a file.
        let temp = path + ".tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .failedCall(errno, "create", path: temp) }
        let bytes = PartStateFile.encode(part)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let code = errno
        Glibc.close(fd)
        guard written == bytes.count else {
            unlink(temp)
            throw .failedCall(written < 0 ? code : ENOSPC, "write", path: temp)
        }
        guard rename(temp, path) == 0 else {
            let code = errno
            unlink(temp)
            throw .failedCall(code, "rename to", path: path)
        }
    }

    public func commit(_ digest: BlobDigest, hashed actual: BlobDigest, parts: [PartState]) throws(ModelStoreError) {
        try blobs.commitDownload(of: digest, hashed: actual)
        for part in parts { unlink(blobs.partStatePath(for: digest, index: part.index)) }
    }

    public func discard(_ digest: BlobDigest) {
        unlink(blobs.partialPath(for: digest))
        for index in 0..<savedParts(of: digest).count + 1 { unlink(blobs.partStatePath(for: digest, index: index)) }
    }

    private static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return n > 0 ? Array(buffer[0..<n]) : nil
    }
}

/// The `-partial` file on disk: `pwrite` at each part's offset, so parts never share a position;
/// read back through a shared read-only mapping of the whole file. Unchecked Sendable: every
/// property is immutable, and the mapping is only read, and only where bytes were written.
final class DiskPartialFile: PartialFile, @unchecked Sendable {
    private let fd: Int32
    private let path: String
    private let mapping: UnsafeRawPointer?
    private let total: Int

    init(fd: Int32, path: String, mapping: UnsafeRawPointer?, total: Int) {
        self.fd = fd
        self.path = path
        self.mapping = mapping
        self.total = total
    }

    func write(_ bytes: ByteBuffer, at offset: Int) throws(ModelStoreError) {
        var done = 0
        let count = bytes.readableBytes
        while done < count {
            let n = bytes.withUnsafeReadableBytes { raw in pwrite(fd, raw.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .failedCall(errno, "write", path: path)
            }
            done += n
        }
    }

    func written(from offset: Int, count: Int) throws(ModelStoreError) -> UnsafeRawBufferPointer {
        if count == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
        guard offset >= 0, offset + count <= total, let mapping else {
            throw .fileSystem(path: path, operation: "read", reason: "bytes \(offset)..<\(offset + count) are outside its \(total)")
        }
        return UnsafeRawBufferPointer(start: mapping + offset, count: count)
    }

    func startWriteback(from offset: Int, count: Int) {
        // A hint only: a failure here surfaces at the sync that decides.
        _ = cfileio_start_writeback(fd, Int64(offset), Int64(count))
    }

    func close() {
        if let mapping { munmap(UnsafeMutableRawPointer(mutating: mapping), total) }
        Glibc.close(fd)
    }
}
