import Foundation
@testable import ModelStore
import NIOCore
import Registry
import Synchronization
import Testing

/// The downloader against in-memory sources and the real partial files in a temporary store.
@Suite("Blob downloads")
struct BlobDownloaderTests {
    let root = NSTemporaryDirectory() + "tern-registry-" + UUID().uuidString
    var store: ModelStore { ModelStore(root: root) }
    let content: [UInt8] = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ $0 >> 5) }
    var digest: BlobDigest { BlobDigest.sha256(of: content) }
    let downloader = BlobDownloader(plan: PartPlan(parts: 4, minimumSize: 1000, maximumSize: 3000), maxAttempts: 2,
                                    saveInterval: 100, backoff: .milliseconds(1))

    func blobFiles() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: root + "/blobs")) ?? []).sorted() }

    @Test func partsLandAtTheirOffsetsAndOnlyTheVerifiedBlobRemains() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let source = MemorySource(content)
        let progress = ByteCounter()
        try await downloader.download(digest, total: content.count, from: source, into: BlobDownloadStorage(blobs: store.blobs), completed: progress)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.blobs.path(for: digest))) == Data(content))
        #expect(blobFiles() == [digest.fileName])
        #expect(progress.value == content.count)
        #expect(source.requests.sorted { $0.lowerBound < $1.lowerBound } == [0...2499, 2500...4999, 5000...7499, 7500...9999])
    }

    @Test func anInterruptedDownloadResumesOnlyTheMissingBytes() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let storage = BlobDownloadStorage(blobs: store.blobs)
        // Every part breaks off after 700 bytes, then the source is gone (a killed connection).
        let broken = MemorySource(content, failAfter: 700, requestLimit: 4)
        await #expect(throws: MemorySource.Broken.self) {
            try await downloader.download(digest, total: content.count, from: broken, into: storage, completed: ByteCounter())
        }
        let saved = storage.savedParts(of: digest)
        #expect(saved.count == 4 && saved.allSatisfy { $0.completed > 0 && !$0.isComplete })
        #expect(blobFiles().contains(digest.fileName + "-partial") && !blobFiles().contains(digest.fileName))

        let source = MemorySource(content)
        let progress = ByteCounter()
        try await downloader.download(digest, total: content.count, from: source, into: storage, completed: progress)
        #expect(source.requests.sorted { $0.lowerBound < $1.lowerBound } == saved.map { $0.resumeOffset...$0.lastByte })
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.blobs.path(for: digest))) == Data(content))
        #expect(blobFiles() == [digest.fileName])
    }

    @Test func corruptBytesAreDiscardedAndFetchedAgain() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let source = MemorySource(content, corruptFirstFetches: 1)
        try await downloader.download(digest, total: content.count, from: source, into: BlobDownloadStorage(blobs: store.blobs), completed: ByteCounter())
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.blobs.path(for: digest))) == Data(content))
        #expect(source.requests.count == 8)
    }

    @Test func bytesThatNeverMatchFailWithOllamasMessageAndLeaveNothing() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let source = MemorySource(content, corruptFirstFetches: .max)
        let error = await #expect(throws: RegistryError.self) {
            try await downloader.download(digest, total: content.count, from: source, into: BlobDownloadStorage(blobs: store.blobs), completed: ByteCounter())
        }
        #expect(error?.description.hasPrefix("digest mismatch, file must be downloaded again: want \(digest), got sha256:") == true)
        #expect(blobFiles().isEmpty)
    }

    @Test func aFullDiskStopsAtOnceKeepingWhatWasWritten() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let storage = FullDiskStorage(wrapping: BlobDownloadStorage(blobs: store.blobs), capacity: 1500)
        let source = MemorySource(content)
        let error = await #expect(throws: RegistryError.self) {
            try await downloader.download(digest, total: content.count, from: source, into: storage, completed: ByteCounter())
        }
        #expect(error?.description.hasPrefix("no space left on device while writing") == true)
        // No retries: one request per part, and the blob never appears.
        #expect(source.requests.count <= 4)
        #expect(!blobFiles().contains(digest.fileName))
        let saved = storage.inner.savedParts(of: digest)
        #expect(saved.reduce(0) { $0 + $1.completed } <= 1500)
    }

    @Test func slicesAreFetchedInOffsetOrderAndAKilledDownloadResumesAfterTheWholeOnes() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        var sliced = downloader
        sliced.sliceSize = 600
        sliced.connections = 1
        let storage = BlobDownloadStorage(blobs: store.blobs)
        // Five whole requests: part 0 (2500 bytes) in slices of 600, then the source is gone.
        let broken = MemorySource(content, requestLimit: 5)
        await #expect(throws: MemorySource.Broken.self) {
            try await sliced.download(digest, total: content.count, from: broken, into: storage, completed: ByteCounter())
        }
        #expect(broken.requests.prefix(5) == [0...599, 600...1199, 1200...1799, 1800...2399, 2400...2499])
        #expect(storage.savedParts(of: digest).map(\.completed) == [2500, 0, 0, 0])

        let source = MemorySource(content)
        try await sliced.download(digest, total: content.count, from: source, into: storage, completed: ByteCounter())
        #expect(source.requests.first == 2500...3099 && source.requests.count == 15)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.blobs.path(for: digest))) == Data(content))
        #expect(blobFiles() == [digest.fileName])
    }

    @Test func bytesBeyondAGapInAPartAreNotRecorded() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        var sliced = downloader
        sliced.sliceSize = 600
        sliced.connections = 2
        let storage = BlobDownloadStorage(blobs: store.blobs)
        let source = StuckSource(content, stuckAt: 300, sliceEnd: 600)
        await #expect(throws: MemorySource.Broken.self) {
            try await sliced.download(digest, total: content.count, from: source, into: storage, completed: ByteCounter())
        }
        // The second slice is on disk, but behind the gap: part 0 records only the first 300 bytes.
        let partial = try Data(contentsOf: URL(fileURLWithPath: store.blobs.partialPath(for: digest)))
        #expect(partial[600..<1200] == Data(content[600..<1200]))
        #expect(storage.savedParts(of: digest).first?.completed == 300)
    }
}

/// Serves `content` by range, optionally breaking off after `failAfter` bytes of each request,
/// refusing every request after the first `requestLimit`, or flipping a byte in the first
/// `corruptFirstFetches` requests; records the ranges asked for.
final class MemorySource: BlobSource {
    let content: [UInt8]
    let failAfter: Int?
    let corruptFirstFetches: Int
    let requestLimit: Int
    private let log = Mutex<[ClosedRange<Int>]>([])

    init(_ content: [UInt8], failAfter: Int? = nil, requestLimit: Int = .max, corruptFirstFetches: Int = 0) {
        self.content = content
        self.requestLimit = requestLimit
        self.failAfter = failAfter
        self.corruptFirstFetches = corruptFirstFetches
    }

    var requests: [ClosedRange<Int>] { log.withLock { $0 } }

    struct Broken: Error {}

    func fetch(_ range: ClosedRange<Int>, into sink: (ByteBuffer) throws -> Void) async throws {
        let n = log.withLock { $0.append(range); return $0.count }
        if n > requestLimit { throw Broken() }
        var bytes = Array(content[range])
        if n <= corruptFirstFetches { bytes[bytes.count / 2] ^= 0xFF }
        var offset = 0
        while offset < bytes.count {
            if let failAfter, offset >= failAfter { throw Broken() }
            let end = min(offset + 256, bytes.count)
            try sink(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
        }
    }
}

/// Serves `content` by range, but the blob's first slice (up to `sliceEnd`) breaks off at
/// `stuckAt` every time, once the next slice has been delivered whole.
final class StuckSource: BlobSource {
    let content: [UInt8]
    let stuckAt: Int
    let sliceEnd: Int
    private let log = Mutex<[ClosedRange<Int>]>([])

    init(_ content: [UInt8], stuckAt: Int, sliceEnd: Int) {
        self.content = content
        self.stuckAt = stuckAt
        self.sliceEnd = sliceEnd
    }

    func fetch(_ range: ClosedRange<Int>, into sink: (ByteBuffer) throws -> Void) async throws {
        log.withLock { $0.append(range) }
        guard range.lowerBound < sliceEnd else {
            try sink(ByteBuffer(bytes: content[range]))
            return
        }
        if range.lowerBound < stuckAt { try sink(ByteBuffer(bytes: content[range.lowerBound..<stuckAt])) }
        // A connection taking the slice after the next one means the next one is whole.
        while !log.withLock({ $0.contains { $0.lowerBound >= 2 * sliceEnd } }) { try await Task.sleep(for: .milliseconds(1)) }
        throw MemorySource.Broken()
    }
}

/// The store's storage with a partial file that fails like a full disk past `capacity` bytes.
struct FullDiskStorage: DownloadStorage {
    let inner: BlobDownloadStorage
    let written = ByteCounter()
    let capacity: Int

    init(wrapping inner: BlobDownloadStorage, capacity: Int) {
        self.inner = inner
        self.capacity = capacity
    }

    struct File: PartialFile {
        let inner: any PartialFile
        let written: ByteCounter
        let capacity: Int
        let path: String

        func write(_ bytes: ByteBuffer, at offset: Int) throws(ModelStoreError) {
            guard written.value + bytes.readableBytes <= capacity else { throw .diskFull(path: path) }
            try inner.write(bytes, at: offset)
            written.add(bytes.readableBytes)
        }

        func written(from offset: Int, count: Int) throws(ModelStoreError) -> UnsafeRawBufferPointer {
            try inner.written(from: offset, count: count)
        }

        func startWriteback(from offset: Int, count: Int) { inner.startWriteback(from: offset, count: count) }

        func close() { inner.close() }
    }

    func savedParts(of digest: BlobDigest) -> [PartState] { inner.savedParts(of: digest) }
    func openPartial(of digest: BlobDigest, total: Int, fresh: Bool) throws(ModelStoreError) -> any PartialFile {
        File(inner: try inner.openPartial(of: digest, total: total, fresh: fresh), written: written, capacity: capacity,
             path: inner.blobs.partialPath(for: digest))
    }
    func save(_ part: PartState, of digest: BlobDigest) throws(ModelStoreError) { try inner.save(part, of: digest) }
    func commit(_ digest: BlobDigest, hashed actual: BlobDigest, parts: [PartState]) throws(ModelStoreError) {
        try inner.commit(digest, hashed: actual, parts: parts)
    }
    func discard(_ digest: BlobDigest) { inner.discard(digest) }
}
