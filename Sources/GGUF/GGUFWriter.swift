#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a GGUF file: metadata in the order added, tensors laid out in the order added, each at the
/// next multiple of the alignment and padded with zeros after its data, as llama.cpp's and gguf-py's
/// writers do. Reading a file and writing it back with `GGUFWriter(copying:)` reproduces it byte for byte.
public struct GGUFWriter {
    /// Where a tensor's bytes come from: owned bytes, or a view whose memory the caller keeps alive
    /// until the write finishes (for example a `GGUFFile` being copied).
    /// `absent` declares a tensor whose data is not written: only `writeHeader(to:)` accepts it.
    public enum TensorData {
        case bytes([UInt8])
        case view(UnsafeRawBufferPointer)
        case absent(byteCount: Int)

        var count: Int {
            switch self {
            case .bytes(let b): b.count
            case .view(let v): v.count
            case .absent(let n): n
            }
        }
    }

    public var version: UInt32
    public private(set) var metadata: [GGUFMetadataEntry] = []
    public private(set) var tensors: [(info: GGUFTensorInfo, data: TensorData)] = []
    private var nextOffset = 0

    public init(version: UInt32 = 3) {
        self.version = version
    }

    /// A writer holding the same metadata and tensors as `file`, with data viewed in place.
    /// Keep `file` alive until the write is done.
    public init(copying file: GGUFFile) throws {
        self.init(version: file.version)
        for entry in file.metadata { try set(entry.key, entry.value) }
        for t in file.tensors { try addTensor(name: t.name, type: t.type, shape: t.shape, data: .view(file.data(for: t))) }
    }

    /// A writer declaring `file`'s metadata and tensor directory without its data, for a header-only
    /// copy (`writeHeader(to:)`). `file` may itself be header-only.
    public init(declaring file: GGUFFile) throws {
        self.init(version: file.version)
        for entry in file.metadata { try set(entry.key, entry.value) }
        for t in file.tensors { try declareTensor(name: t.name, type: t.type, shape: t.shape) }
    }

    public var alignment: Int {
        metadata.first { $0.key == "general.alignment" }?.value.intValue ?? GGUFFile.defaultAlignment
    }

    /// Sets a metadata value, replacing an earlier value of the key in place.
    public mutating func set(_ key: String, _ value: GGUFValue) throws {
        if key == "general.alignment" {
            guard tensors.isEmpty else { throw GGUFError.invalidAlignment(value: "set after tensors were added") }
            guard let a = value.intValue, a > 0, a & (a - 1) == 0 else { throw GGUFError.invalidAlignment(value: "\(value)") }
        }
        if let i = metadata.firstIndex(where: { $0.key == key }) {
            metadata[i].value = value
        } else {
            metadata.append(GGUFMetadataEntry(key, value))
        }
    }

    /// Appends a tensor; its data must be exactly the size its type and shape imply.
    public mutating func addTensor(name: String, type: GGMLType, shape: [Int], data: TensorData) throws {
        guard !tensors.contains(where: { $0.info.name == name }) else { throw GGUFError.duplicateTensor(name, offset: -1) }
        guard (1...GGUFHeaderParser.maxDimensions).contains(shape.count) else {
            throw GGUFError.tooManyDimensions(tensor: name, count: UInt32(shape.count), offset: -1)
        }
        for (i, d) in shape.enumerated() where d < 1 {
            throw GGUFError.invalidDimension(tensor: name, index: i, value: UInt64(bitPattern: Int64(d)), offset: -1)
        }
        let size = try GGUFTensorInfo.byteCount(name: name, type: type, shape: shape)
        guard size == data.count else {
            throw GGUFError.tensorOutOfBounds(tensor: name, offset: nextOffset, size: data.count, fileSize: size)
        }
        tensors.append((GGUFTensorInfo(name: name, type: type, shape: shape, offset: nextOffset, byteCount: size), data))
        nextOffset = padded(nextOffset + size)
    }

    /// Appends a tensor to the directory without data (its size follows from type and shape).
    public mutating func declareTensor(name: String, type: GGMLType, shape: [Int]) throws {
        let size = try GGUFTensorInfo.byteCount(name: name, type: type, shape: shape)
        try addTensor(name: name, type: type, shape: shape, data: .absent(byteCount: size))
    }

    private func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    /// Everything before the data section, including the padding that aligns it.
    public func header() -> [UInt8] {
        var out: [UInt8] = []
        out.append(littleEndian: GGUFFile.magic)
        out.append(littleEndian: version)
        out.append(littleEndian: UInt64(tensors.count))
        out.append(littleEndian: UInt64(metadata.count))
        for entry in metadata {
            out.append(string: entry.key)
            out.append(littleEndian: entry.value.type.rawValue)
            out.append(value: entry.value)
        }
        for (info, _) in tensors {
            out.append(string: info.name)
            out.append(littleEndian: UInt32(info.shape.count))
            for d in info.shape { out.append(littleEndian: UInt64(d)) }
            out.append(littleEndian: info.type.rawValue)
            out.append(littleEndian: UInt64(info.offset))
        }
        out.append(contentsOf: repeatElement(0, count: padded(out.count) - out.count))
        return out
    }

    /// The whole file in memory (for small files: tests and fixtures). Every tensor must have data.
    public func serialized() -> [UInt8] {
        var out = header()
        for (info, data) in tensors {
            switch data {
            case .bytes(let b): out.append(contentsOf: b)
            case .view(let v): out.append(contentsOf: v)
            case .absent: preconditionFailure("tensor \(info.name): serialized() needs data; use header() for a skeleton")
            }
            out.append(contentsOf: repeatElement(0, count: padded(info.byteCount) - info.byteCount))
        }
        return out
    }

    /// Writes the file to `path` through a temporary file renamed into place, so a reader never sees
    /// a half-written file. Tensor data is streamed, never gathered in memory.
    public func write(to path: String) throws {
        if let missing = tensors.first(where: { if case .absent = $0.data { true } else { false } }) {
            throw GGUFError.tensorDataAbsent(tensor: missing.info.name)
        }
        try writeAtomically(to: path, withData: true)
    }

    /// Writes only the header and tensor directory (a skeleton: `GGUFFile(path:data: .headerOnly)`
    /// reads it back with every size known).
    public func writeHeader(to path: String) throws {
        try writeAtomically(to: path, withData: false)
    }

    private func writeAtomically(to path: String, withData: Bool) throws {
        let temporary = path + ".partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw GGUFError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(temporary) }
        }
        func put(_ buffer: UnsafeRawBufferPointer) throws {
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw GGUFError.writeFailed(path: path, reason: String(cString: strerror(errno)))
                }
                done += n
            }
        }
        let zeros = [UInt8](repeating: 0, count: alignment)
        try header().withUnsafeBytes(put)
        for (info, data) in tensors where withData {
            switch data {
            case .bytes(let b): try b.withUnsafeBytes(put)
            case .view(let v) where v.count > 0: try put(v)
            case .view, .absent: break
            }
            try zeros.withUnsafeBytes { try put(UnsafeRawBufferPointer(rebasing: $0[0..<(padded(info.byteCount) - info.byteCount)])) }
        }
        guard fsync(fd) == 0 else { throw GGUFError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
        guard rename(temporary, path) == 0 else { throw GGUFError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
        ok = true
    }
}

extension [UInt8] {
    mutating func append<T: FixedWidthInteger>(littleEndian v: T) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    mutating func append(string: String) {
        var s = string
        s.withUTF8 { utf8 in
            append(littleEndian: UInt64(utf8.count))
            append(contentsOf: utf8)
        }
    }

    mutating func append(value: GGUFValue) {
        switch value {
        case .uint8(let v): append(littleEndian: v)
        case .int8(let v): append(littleEndian: v)
        case .uint16(let v): append(littleEndian: v)
        case .int16(let v): append(littleEndian: v)
        case .uint32(let v): append(littleEndian: v)
        case .int32(let v): append(littleEndian: v)
        case .uint64(let v): append(littleEndian: v)
        case .int64(let v): append(littleEndian: v)
        case .float32(let v): append(littleEndian: v.bitPattern)
        case .float64(let v): append(littleEndian: v.bitPattern)
        case .bool(let v): append(v ? 1 : 0)
        case .string(let s): append(string: s)
        case .array(let a): append(array: a)
        }
    }

    mutating func append(array: GGUFArray) {
        append(littleEndian: array.elementType.rawValue)
        append(littleEndian: UInt64(array.count))
        switch array {
        case .uint8(let a): append(contentsOf: a)
        case .int8(let a): for v in a { append(littleEndian: v) }
        case .uint16(let a): for v in a { append(littleEndian: v) }
        case .int16(let a): for v in a { append(littleEndian: v) }
        case .uint32(let a): for v in a { append(littleEndian: v) }
        case .int32(let a): for v in a { append(littleEndian: v) }
        case .uint64(let a): for v in a { append(littleEndian: v) }
        case .int64(let a): for v in a { append(littleEndian: v) }
        case .float32(let a): for v in a { append(littleEndian: v.bitPattern) }
        case .float64(let a): for v in a { append(littleEndian: v.bitPattern) }
        case .bool(let a): for v in a { append(v ? 1 : 0) }
        case .string(let a): for s in a { append(string: s) }
        case .array(let a): for inner in a { append(array: inner) }
        }
    }
}
