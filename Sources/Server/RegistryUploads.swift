import ModelStore
import NIOCore

/// Blob uploads in progress (§5.8 seen from the registry): each is a `BlobWriter` that hashes
/// the bytes as they arrive, so a part is never held in memory and only a blob whose hash
/// matches the digest named at the end becomes visible. An abandoned upload's temporary file is
/// removed when the upload is; start-up pruning removes any a crash leaves.
actor RegistryUploads {
    /// Why an upload request was refused.
    enum Failure: Error {
        case unknown(String)
        /// A part that does not start where the upload stands: the registry answers 416.
        case outOfOrder(expected: Int, got: Int)
        case store(ModelStoreError)
    }

    private var writers: [String: BlobWriter] = [:]
    private let blobs: BlobStore

    init(blobs: BlobStore) { self.blobs = blobs }

    /// A new upload's id.
    func start() throws(Failure) -> String {
        let id = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
        do { writers[id] = try blobs.makeWriter() } catch { throw .store(error) }
        return id
    }

    /// Bytes received so far (for the `Range` header and order checks).
    func received(_ id: String) throws(Failure) -> Int {
        guard let writer = writers[id] else { throw .unknown(id) }
        return writer.bytesWritten
    }

    /// Checks that a part starting at `start` continues the upload.
    func expect(_ id: String, startingAt start: Int) throws(Failure) {
        let have = try received(id)
        guard start == have else { throw .outOfOrder(expected: have, got: start) }
    }

    func append(_ id: String, _ buffer: ByteBuffer) throws(Failure) {
        guard let writer = writers[id] else { throw .unknown(id) }
        do throws(ModelStoreError) {
            try buffer.withUnsafeReadableBytes { (bytes) throws(ModelStoreError) in try writer.write(bytes) }
        } catch {
            writers[id] = nil
            throw .store(error)
        }
    }

    /// Ends the upload: the blob is stored if its bytes hash to `digest`, discarded otherwise.
    func finish(_ id: String, digest: BlobDigest) throws(Failure) -> BlobWriteResult {
        guard let writer = writers.removeValue(forKey: id) else { throw .unknown(id) }
        do { return try writer.commit(expecting: digest) } catch { throw .store(error) }
    }

    /// Drops an upload whose request broke off.
    func cancel(_ id: String) { writers[id] = nil }
}
