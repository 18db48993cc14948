import NIOCore

/// Where a blob's bytes come from: a registry over HTTP, or a test's in-memory bytes.
public protocol BlobSource: Sendable {
    /// Delivers the bytes of `range` (inclusive) in order to `sink`; returns when the range is
    /// done or throws when the transfer breaks (the bytes delivered so far are kept).
    func fetch(_ range: ClosedRange<Int>, into sink: (ByteBuffer) throws -> Void) async throws
}
