import ModelStore
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte range of a blob file as a request body, read 1 MiB at a time as the connection takes
/// it, so pushing a many-gigabyte blob never holds it in memory; `sent` counts the bytes read.
struct FileRangeBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let path: String
    let range: ClosedRange<Int>
    let sent: ByteCounter

    struct AsyncIterator: AsyncIteratorProtocol {
        let path: String
        let end: Int
        let sent: ByteCounter
        var offset: Int
        var fd: Int32 = -1

        mutating func next() async throws -> ByteBuffer? {
            guard offset < end else {
                if fd >= 0 { close(fd); fd = -1 }
                return nil
            }
            if fd < 0 {
                fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw RegistryError.store(.failedCall(errno, "open", path: path)) }
            }
            var buffer = ByteBuffer()
            let want = Swift.min(1 << 20, end - offset)
            let start = offset
            let n = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { raw in
                Swift.max(0, pread(fd, raw.baseAddress, want, off_t(start)))
            }
            guard n > 0 else {
                close(fd)
                fd = -1
                throw RegistryError.store(.fileSystem(path: path, operation: "read", reason: "file ended at \(offset) bytes"))
            }
            offset += n
            sent.add(n)
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(path: path, end: range.upperBound + 1, sent: sent, offset: range.lowerBound)
    }
}
