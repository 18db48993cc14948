#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX calls the store needs, each failure turned into a `ModelStoreError` that names the
/// path. POSIX rather than FileManager so that errno (ENOSPC, EACCES) reaches the caller intact.
enum FileSystem {
    struct Status {
        var isDirectory: Bool
        var isRegularFile: Bool
        var size: Int
        var modified: FileTime
    }

    static func status(_ path: String) -> Status? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if os(Linux)
        let mtime = st.st_mtim
        #else
        let mtime = st.st_mtimespec
        #endif
        return Status(
            isDirectory: st.st_mode & S_IFMT == S_IFDIR,
            isRegularFile: st.st_mode & S_IFMT == S_IFREG,
            size: Int(st.st_size),
            modified: FileTime(seconds: Int(mtime.tv_sec), nanoseconds: Int(mtime.tv_nsec)))
    }

    /// `mkdir -p` with mode 0755, as Ollama creates its directories.
    static func makeDirectories(_ path: String) throws(ModelStoreError) {
        if status(path)?.isDirectory == true { return }
        let parent = directoryName(path)
        if parent != path { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && !(errno == EEXIST && status(path)?.isDirectory == true) {
            throw .system(errno, "create directory", path)
        }
    }

    /// Names in a directory, without `.` and `..`, sorted; nil when it does not exist.
    static func entries(_ path: String) throws(ModelStoreError) -> [String]? {
        guard let dir = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .system(errno, "list", path)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func readFile(_ path: String) throws(ModelStoreError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(errno, "open", path) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(errno, "read", path)
            }
            if n == 0 { return out }
            out += chunk[0..<n]
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(ModelStoreError) {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(errno, "write", path)
            }
            offset += n
        }
    }

    /// Runs `body` over the bytes of `bytes`; Array's own `withUnsafeBytes` does not carry a typed error.
    static func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ModelStoreError) -> R) throws(ModelStoreError) -> R {
        var result: Result<R, ModelStoreError>?
        bytes.withUnsafeBytes { raw in result = Result { () throws(ModelStoreError) -> R in try body(raw) } }
        return try result!.get()
    }

    /// Replaces `path` with `bytes` so that readers see the old file or the new one, never a
    /// part: a temporary file in the same directory, fsync, rename, then fsync of the directory.
    /// The temporary name starts with "." so that a listing never takes it for a tag.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ModelStoreError) {
        let directory = directoryName(path)
        try makeDirectories(directory)
        let temp = directory + "/." + baseName(path) + ".tmp-" + randomHex()
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system(errno, "create", temp) }
        var failure: ModelStoreError?
        do throws(ModelStoreError) {
            try withBytes(bytes) { (raw) throws(ModelStoreError) in try writeAll(fd, raw, path: temp) }
            if fsync(fd) != 0 { throw .system(errno, "sync", temp) }
        } catch {
            failure = error
        }
        if close(fd) != 0, failure == nil { failure = .system(errno, "close", temp) }
        if let failure {
            unlink(temp)
            throw failure
        }
        try move(temp, to: path)
        syncDirectory(directory)
    }

    /// Renames `from` over `to`; on failure `from` is removed so nothing is left behind.
    static func move(_ from: String, to: String) throws(ModelStoreError) {
        guard rename(from, to) == 0 else {
            let code = errno
            unlink(from)
            throw .system(code, "rename to", to)
        }
    }

    /// Makes a rename durable; a directory that cannot be opened is left to the OS.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Removes a file; a file already gone is not an error.
    static func removeFile(_ path: String) throws(ModelStoreError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .system(errno, "remove", path) }
    }

    /// Removes `path` if it is an empty directory; false when it is not empty or not there.
    static func removeEmptyDirectory(_ path: String) -> Bool { rmdir(path) == 0 }

    static func directoryName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func randomHex() -> String {
        String(UInt64.random(in: .min ... .max), radix: 16)
    }
}

/// A file's modification time with the nanoseconds Ollama's RFC 3339 timestamps show.
public struct FileTime: Hashable, Comparable, Sendable {
    public var seconds: Int
    public var nanoseconds: Int

    public init(seconds: Int, nanoseconds: Int) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (a: FileTime, b: FileTime) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }
}
