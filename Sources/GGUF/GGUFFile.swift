#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether opening a file insists that the tensor data is there. A header-only file (a
/// "skeleton": header and tensor directory, no data) is enough to plan a model's placement.
public enum GGUFDataRequirement: Sendable {
    /// Every tensor must lie inside the file (the default for anything that computes).
    case required
    /// Tensors may extend past the end of the file; shapes, types, alignment and overlap are still checked.
    case headerOnly
}

/// A parsed, validated GGUF file. The file is memory-mapped; tensor data is exposed as views into
/// the mapping and never copied. Opening reads only the header pages.
public final class GGUFFile: @unchecked Sendable {
    /// Where the bytes live: a read-only private mapping or (for tests and fuzzing) an owned buffer.
    private enum Storage {
        case mapped(UnsafeMutableRawPointer, Int)
        case owned(UnsafeMutableRawBufferPointer)
    }

    public static let magic: UInt32 = 0x4655_4747  // "GGUF" read little-endian
    public static let defaultAlignment = 32

    private let storage: Storage
    /// The path the file was opened from, or nil for in-memory files.
    public let path: String?
    public let version: UInt32
    /// Metadata in file order.
    public let metadata: [GGUFMetadataEntry]
    /// The tensor directory in file order.
    public let tensors: [GGUFTensorInfo]
    public let alignment: Int
    /// Absolute offset of the data section.
    public let dataOffset: Int
    public let fileSize: Int
    /// False when the file was opened `.headerOnly` and some tensor's data lies beyond its end.
    public let hasTensorData: Bool
    private let keyIndex: [String: Int]
    private let tensorIndex: [String: Int]

    /// Opens and validates `path`. Throws a `GGUFError` naming the first problem found.
    /// `.headerOnly` accepts a file whose tensor data is absent (see `GGUFDataRequirement`).
    public convenience init(path: String, data: GGUFDataRequirement = .required) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw GGUFError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw GGUFError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw GGUFError.cannotOpen(path: path, reason: "not a regular file") }
        let size = Int(st.st_size)
        guard size > 0 else { throw GGUFError.truncated(what: "header", offset: 0, needed: 4, fileSize: 0) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw GGUFError.cannotOpen(path: path, reason: "mmap: " + String(cString: strerror(errno)))
        }
        try self.init(storage: .mapped(base, size), path: path, data: data)
    }

    /// Parses a GGUF image held in memory (the bytes are copied once).
    public convenience init(bytes: [UInt8], data: GGUFDataRequirement = .required) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        buffer.copyBytes(from: bytes)
        try self.init(storage: .owned(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes.count])), path: nil, data: data)
    }

    private init(storage: Storage, path: String?, data: GGUFDataRequirement) throws {
        self.storage = storage
        self.path = path
        let raw: UnsafeRawBufferPointer
        switch storage {
        case .mapped(let p, let n): raw = UnsafeRawBufferPointer(start: p, count: n)
        case .owned(let b): raw = UnsafeRawBufferPointer(b)
        }
        do {
            let header = try GGUFHeaderParser.parse(raw, requireData: data == .required)
            version = header.version
            metadata = header.metadata
            tensors = header.tensors
            alignment = header.alignment
            dataOffset = header.dataOffset
            fileSize = raw.count
            hasTensorData = header.dataEnd <= raw.count
            keyIndex = header.keyIndex
            tensorIndex = header.tensorIndex
        } catch {
            Self.release(storage)
            throw error
        }
    }

    deinit { Self.release(storage) }

    private static func release(_ storage: Storage) {
        switch storage {
        case .mapped(let p, let n): munmap(p, n)
        case .owned(let b): b.deallocate()
        }
    }

    private var bytes: UnsafeRawBufferPointer {
        switch storage {
        case .mapped(let p, let n): UnsafeRawBufferPointer(start: p, count: n)
        case .owned(let b): UnsafeRawBufferPointer(b)
        }
    }

    /// The value stored under `key`, if any.
    public subscript(key: String) -> GGUFValue? { keyIndex[key].map { metadata[$0].value } }

    public func tensor(named name: String) -> GGUFTensorInfo? { tensorIndex[name].map { tensors[$0] } }

    /// The tensor's bytes: a view into the mapping, valid while this file object is alive.
    /// A header-only file without its data has none to give.
    public func data(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        precondition(hasTensorData, "tensor \(tensor.name): the file was opened header-only and has no tensor data")
        let start = dataOffset + tensor.offset
        return UnsafeRawBufferPointer(rebasing: bytes[start..<start + tensor.byteCount])
    }

    /// The whole file as bytes (used by the writer to copy headers verbatim and by tests).
    public var rawBytes: UnsafeRawBufferPointer { bytes }

    // MARK: typed metadata access with errors that name the key

    public func string(_ key: String) throws -> String {
        guard let v = self[key] else { throw GGUFError.missingKey(key) }
        guard let s = v.stringValue else { throw GGUFError.wrongType(key: key, expected: "string", found: v.type.name) }
        return s
    }

    public func int(_ key: String) throws -> Int {
        guard let v = self[key] else { throw GGUFError.missingKey(key) }
        guard let i = v.intValue else { throw GGUFError.wrongType(key: key, expected: "integer", found: v.type.name) }
        return i
    }

    public func double(_ key: String) throws -> Double {
        guard let v = self[key] else { throw GGUFError.missingKey(key) }
        guard let d = v.doubleValue else { throw GGUFError.wrongType(key: key, expected: "number", found: v.type.name) }
        return d
    }

    public func bool(_ key: String) throws -> Bool {
        guard let v = self[key] else { throw GGUFError.missingKey(key) }
        guard let b = v.boolValue else { throw GGUFError.wrongType(key: key, expected: "bool", found: v.type.name) }
        return b
    }

    public func array(_ key: String) throws -> GGUFArray {
        guard let v = self[key] else { throw GGUFError.missingKey(key) }
        guard let a = v.arrayValue else { throw GGUFError.wrongType(key: key, expected: "array", found: v.type.name) }
        return a
    }

    /// `general.architecture`, the prefix of every model-specific key.
    public var architecture: String? { self["general.architecture"]?.stringValue }
}
