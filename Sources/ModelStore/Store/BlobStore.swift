#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `blobs/` directory: content-addressed files named `sha256-<hex>`, mode 0644.
public struct BlobStore: Sendable {
    /// Absolute path of `blobs/`.
    public let directory: String

    init(directory: String) { self.directory = directory }

    /// Where the blob lives (or would live).
    public func path(for digest: BlobDigest) -> String { directory + "/" + digest.fileName }

    /// Whether `blobs/sha256-<hex>` is present (`HEAD /api/blobs/<digest>`).
    public func exists(_ digest: BlobDigest) -> Bool { FileSystem.status(path(for: digest))?.isRegularFile == true }

    /// The blob's size in bytes, nil when it is absent.
    public func size(of digest: BlobDigest) -> Int? {
        guard let st = FileSystem.status(path(for: digest)), st.isRegularFile else { return nil }
        return st.size
    }

    /// Starts a streamed write: a temporary file in `blobs/` that is hashed as it grows and only
    /// becomes `sha256-<hex>` on `commit()`. With `expected`, a different hash discards the file.
    public func makeWriter(expecting expected: BlobDigest? = nil) throws(ModelStoreError) -> BlobWriter {
        try FileSystem.makeDirectories(directory)
        return try BlobWriter(directory: directory, expected: expected)
    }

    /// Stores small in-memory content (template, params, config…).
    @discardableResult
    public func write(_ bytes: [UInt8], expecting expected: BlobDigest? = nil) throws(ModelStoreError) -> BlobWriteResult {
        let writer = try makeWriter(expecting: expected)
        try writer.write(bytes)
        return try writer.commit()
    }

    /// Copies a local file into the store in 1 MiB chunks, hashing as it goes.
    @discardableResult
    public func importFile(at source: String, expecting expected: BlobDigest? = nil) throws(ModelStoreError) -> BlobWriteResult {
        let fd = open(source, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(errno, "open", source) }
        defer { close(fd) }
        let writer = try makeWriter(expecting: expected)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = read(fd, chunk.baseAddress, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(errno, "read", source)
            }
            if n == 0 { break }
            try writer.write(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        }
        return try writer.commit()
    }

    /// The whole blob; meant for the small text and JSON layers.
    func contents(of digest: BlobDigest) throws(ModelStoreError) -> [UInt8] {
        let p = path(for: digest)
        guard FileSystem.status(p) != nil else { throw .blobNotFound(digest) }
        return try FileSystem.readFile(p)
    }

    func remove(_ digest: BlobDigest) throws(ModelStoreError) { try FileSystem.removeFile(path(for: digest)) }
}

/// What a finished blob write produced.
public struct BlobWriteResult: Hashable, Sendable {
    public var digest: BlobDigest
    public var size: Int
    /// False when the blob was already stored (the API answers 200 instead of 201).
    public var created: Bool
}
