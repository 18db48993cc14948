import Crypto

/// SHA-256 fed piece by piece, for code outside this module that hashes a blob as it arrives
/// (a download hashes its partial file while later parts are still coming).
public struct BlobHasher: Sendable {
    private var sha = SHA256()

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { sha.update(bufferPointer: bytes) }

    public func finalize() -> BlobDigest { BlobDigest(hashBytes: sha.finalize()) }
}
