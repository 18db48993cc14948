import NIOCore

/// A file as a request body: chunks read as the connection takes them, with the running byte
/// count reported after each, so a multi-GB upload shows its progress and never sits in memory.
struct FileUploadBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let file: LocalFile
    let progress: @Sendable (Int) -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        let file: LocalFile
        let progress: @Sendable (Int) -> Void
        var offset = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try file.read(at: offset) else { return nil }
            offset += chunk.count
            progress(offset)
            return ByteBuffer(bytes: chunk)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(file: file, progress: progress) }
}
