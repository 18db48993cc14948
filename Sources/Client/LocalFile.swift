#if canImport(Glibc)
import Glibc
#endif
import Crypto

/// A regular file read in large chunks: hashed before an upload, then streamed as its body,
/// never held in memory whole (model files are many GB).
public final class LocalFile: @unchecked Sendable {
    public let path: String
    public let size: Int
    private let descriptor: Int32
    /// Bytes per read: large enough that system calls cost nothing next to the copy.
    static let chunkSize = 4 << 20

    public init(path: String) throws(ClientError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .file(path: path, reason: String(cString: strerror(errno))) }
        var st = stat()
        guard fstat(descriptor, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw .file(path: path, reason: "not a regular file")
        }
        size = Int(st.st_size)
    }

    deinit { close(descriptor) }

    /// The `sha256:<hex>` digest the API names the file's blob by.
    public func sha256Digest() throws(ClientError) -> String {
        var hash = SHA256()
        var offset = 0
        while let chunk = try read(at: offset) {
            hash.update(data: chunk)
            offset += chunk.count
        }
        let hex = hash.finalize().map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined()
        return "sha256:" + hex
    }

    /// The whole file: only for small files such as a Modelfile.
    public func contents() throws(ClientError) -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try read(at: bytes.count) { bytes += chunk }
        return bytes
    }

    /// Up to `chunkSize` bytes from `offset`; nil at the end of the file.
    func read(at offset: Int) throws(ClientError) -> [UInt8]? {
        let wanted = min(Self.chunkSize, size - offset)
        guard wanted > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: wanted)
        var filled = 0
        while filled < wanted {
            let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, wanted - filled, off_t(offset + filled)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .file(path: path, reason: n == 0 ? "file shrank while being read" : String(cString: strerror(errno))) }
            filled += n
        }
        return bytes
    }
}
