import JSON
@testable import ModelStore
import Foundation
import Testing

@Suite("Blob writes")
struct BlobStoreTests {
    let dir = TemporaryDirectory()
    var blobs: BlobStore { ModelStore(root: dir.path).blobs }
    let content = Array("hello blob\n".utf8)

    @Test func goodDigestIsStoredOnce() throws {
        let digest = BlobDigest.sha256(of: content)
        let first = try blobs.write(content, expecting: digest)
        #expect(first == BlobWriteResult(digest: digest, size: content.count, created: true))
        #expect(dir.entries("blobs") == [digest.fileName])
        #expect(try dir.read("blobs/" + digest.fileName) == content)
        let mode = try FileManager.default.attributesOfItem(atPath: blobs.path(for: digest))[.posixPermissions] as? Int
        #expect(mode == 0o644)
        #expect(blobs.exists(digest))
        #expect(blobs.size(of: digest) == content.count)
        let again = try blobs.write(content, expecting: digest)
        #expect(!again.created)
        #expect(dir.entries("blobs") == [digest.fileName])
    }

    @Test func badDigestLeavesNothing() throws {
        let wrong = BlobDigest.sha256(of: Array("something else".utf8))
        #expect(throws: ModelStoreError.digestMismatch(expected: wrong, actual: BlobDigest.sha256(of: content))) {
            try blobs.write(content, expecting: wrong)
        }
        #expect(dir.entries("blobs").isEmpty)
        #expect(!blobs.exists(wrong))
        let message = ModelStoreError.digestMismatch(expected: wrong, actual: BlobDigest.sha256(of: content)).description
        #expect(message == "digest mismatch, expected \"\(wrong)\", got \"\(BlobDigest.sha256(of: content))\"")
    }

    @Test func streamsChunksAndDropsAbandonedWrites() throws {
        let writer = try blobs.makeWriter()
        for _ in 0..<3 { try writer.write(content) }
        #expect(writer.bytesWritten == 3 * content.count)
        #expect(dir.entries("blobs").count == 1)
        let result = try writer.commit()
        #expect(result.digest == BlobDigest.sha256(of: content + content + content))
        #expect(throws: ModelStoreError.self) { try writer.write(content) }

        do {
            let abandoned = try blobs.makeWriter()
            try abandoned.write(content)
        }
        let cancelled = try blobs.makeWriter()
        try cancelled.write(content)
        cancelled.discard()
        #expect(dir.entries("blobs") == [result.digest.fileName])
    }

    @Test func importsAFile() throws {
        let bytes = try TinyGGUF.bytes(elements: 300_000)
        try dir.write(bytes, to: "model.gguf")
        let result = try blobs.importFile(at: dir.path + "/model.gguf", expecting: BlobDigest.sha256(of: bytes))
        #expect(result.size == bytes.count)
        #expect(try dir.read("blobs/" + result.digest.fileName) == bytes)
        #expect(throws: ModelStoreError.self) { try blobs.importFile(at: dir.path + "/missing.gguf") }
    }

    @Test func errnoBecomesATypedErrorNamingThePath() {
        #expect(ModelStoreError.system(ENOSPC, "write", "/m/blobs/x") == .diskFull(path: "/m/blobs/x"))
        #expect(ModelStoreError.system(EDQUOT, "write", "/m/blobs/x") == .diskFull(path: "/m/blobs/x"))
        #expect(ModelStoreError.system(EACCES, "create", "/m/blobs/x") == .permissionDenied(path: "/m/blobs/x", operation: "create"))
        #expect(ModelStoreError.system(EROFS, "create", "/m/blobs/x") == .permissionDenied(path: "/m/blobs/x", operation: "create"))
        #expect(ModelStoreError.diskFull(path: "/m/blobs/x").description == "no space left on device while writing /m/blobs/x")
        #expect(ModelStoreError.permissionDenied(path: "/m", operation: "create directory").description
            == "permission denied: cannot create directory /m")
        #expect(ModelStoreError.system(ENOENT, "open", "/m/x").description == "cannot open /m/x: No such file or directory")
    }

    @Test func fullDiskIsReported() throws {
        let fd = open("/dev/full", O_WRONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(throws: ModelStoreError.diskFull(path: "/dev/full")) {
            try FileSystem.withBytes([1, 2, 3]) { (raw) throws(ModelStoreError) in try FileSystem.writeAll(fd, raw, path: "/dev/full") }
        }
    }

    @Test(.enabled(if: geteuid() != 0, "root may write anywhere"))
    func readOnlyBlobsDirectoryIsPermissionDenied() throws {
        try FileManager.default.createDirectory(atPath: dir.path + "/blobs", withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path + "/blobs")
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path + "/blobs") }
        #expect {
            try blobs.write(content)
        } throws: { error in
            guard case .permissionDenied(let path, "create")? = error as? ModelStoreError else { return false }
            return path.hasPrefix(dir.path + "/blobs/sha256-")
        }
    }

    @Test func unwritableStoreIsReportedWithItsPath() throws {
        try dir.write("a file where blobs/ should be", to: "blobs")
        #expect(throws: ModelStoreError.fileSystem(path: dir.path + "/blobs", operation: "create directory", reason: "File exists")) {
            try blobs.write(content)
        }
    }
}
