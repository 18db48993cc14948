/// Parses and validates the GGUF header: magic, version, metadata and tensor directory.
/// Layout (little-endian): magic u32, version u32, n_tensors u64, n_kv u64, the KV pairs,
/// the tensor infos, padding to `general.alignment`, then the data section.
struct GGUFHeaderParser {
    struct Header {
        var version: UInt32
        var metadata: [GGUFMetadataEntry]
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
        /// Absolute offset just past the last tensor's data.
        var dataEnd: Int
        var keyIndex: [String: Int]
        var tensorIndex: [String: Int]
    }

    /// Deepest array nesting accepted; real files use one level (arrays of arrays are rare).
    static let maxNesting = 8
    static let maxDimensions = 4

    /// `requireData` false accepts tensors that extend past the end of `bytes` (a header-only file);
    /// every other check stays.
    static func parse(_ bytes: UnsafeRawBufferPointer, requireData: Bool = true) throws -> Header {
        var r = ByteReader(bytes)
        let magic = try r.read(UInt32.self, "header magic")
        guard magic == GGUFFile.magic else { throw GGUFError.badMagic(found: magic) }
        let version = try r.read(UInt32.self, "header version")
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(version) }
        // The smallest tensor info is 8 (name length) + 4 (n_dims) + 4 (type) + 8 (offset) bytes;
        // the smallest KV pair is 8 (key length) + 4 (type) + 1 byte.
        let tensorCountOffset = r.offset
        let tensorCount = try r.read(UInt64.self, "header tensor count")
        let kvCount = try r.readCount(minElementBytes: 13, "header metadata count")
        guard tensorCount <= UInt64(r.remaining / 24) else {
            throw GGUFError.countTooLarge(what: "header tensor count", count: tensorCount, offset: tensorCountOffset,
                                          remaining: r.remaining)
        }

        var metadata: [GGUFMetadataEntry] = []
        metadata.reserveCapacity(kvCount)
        var keyIndex: [String: Int] = [:]
        for i in 0..<kvCount {
            let keyOffset = r.offset
            let key = try r.readString("metadata key #\(i)")
            guard keyIndex[key] == nil else { throw GGUFError.duplicateKey(key, offset: keyOffset) }
            let typeOffset = r.offset
            let rawType = try r.read(UInt32.self, "key \(key): value type")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw GGUFError.unknownValueType(key: key, type: rawType, offset: typeOffset)
            }
            let value = try readValue(type, key: key, depth: 0, &r)
            keyIndex[key] = metadata.count
            metadata.append(GGUFMetadataEntry(key, value))
        }

        var alignment = GGUFFile.defaultAlignment
        if let index = keyIndex["general.alignment"] {
            let value = metadata[index].value
            guard let a = value.intValue, a > 0, a & (a - 1) == 0, a <= 1 << 30 else {
                throw GGUFError.invalidAlignment(value: "\(value)")
            }
            alignment = a
        }

        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(Int(tensorCount))
        var tensorIndex: [String: Int] = [:]
        var infoOffsets: [Int] = []
        for i in 0..<Int(tensorCount) {
            let infoOffset = r.offset
            let name = try r.readString("tensor #\(i) name")
            guard tensorIndex[name] == nil else { throw GGUFError.duplicateTensor(name, offset: infoOffset) }
            let dimsOffset = r.offset
            let nDims = try r.read(UInt32.self, "tensor \(name): dimension count")
            guard nDims >= 1, nDims <= UInt32(maxDimensions) else {
                throw GGUFError.tooManyDimensions(tensor: name, count: nDims, offset: dimsOffset)
            }
            var shape: [Int] = []
            for d in 0..<Int(nDims) {
                let at = r.offset
                let v = try r.read(UInt64.self, "tensor \(name): dimension \(d)")
                guard v >= 1, v <= 1 << 62 else {
                    throw GGUFError.invalidDimension(tensor: name, index: d, value: v, offset: at)
                }
                shape.append(Int(v))
            }
            let typeOffset = r.offset
            let rawType = try r.read(UInt32.self, "tensor \(name): type")
            guard let type = GGMLType(rawValue: rawType) else {
                throw GGUFError.unknownTensorType(tensor: name, type: rawType, offset: typeOffset)
            }
            let offsetAt = r.offset
            let rawOffset = try r.read(UInt64.self, "tensor \(name): data offset")
            let size = try GGUFTensorInfo.byteCount(name: name, type: type, shape: shape)
            guard rawOffset <= UInt64(Int.max) else {
                throw GGUFError.tensorOutOfBounds(tensor: name, offset: Int.max, size: size, fileSize: bytes.count)
            }
            let offset = Int(rawOffset)
            guard offset % alignment == 0 else {
                throw GGUFError.tensorMisaligned(tensor: name, offset: offset, alignment: alignment)
            }
            tensorIndex[name] = tensors.count
            tensors.append(GGUFTensorInfo(name: name, type: type, shape: shape, offset: offset, byteCount: size))
            infoOffsets.append(offsetAt)
        }

        // The data section starts at the next multiple of the alignment after the directory.
        let dataOffset = (r.offset + alignment - 1) / alignment * alignment
        let dataEnd = try checkExtents(tensors, dataOffset: dataOffset, fileSize: requireData ? bytes.count : Int.max)
        return Header(version: version, metadata: metadata, tensors: tensors, alignment: alignment,
                      dataOffset: dataOffset, dataEnd: dataEnd, keyIndex: keyIndex, tensorIndex: tensorIndex)
    }

    /// Every tensor lies inside the file and no two share a byte. Returns where the last tensor ends.
    private static func checkExtents(_ tensors: [GGUFTensorInfo], dataOffset: Int, fileSize: Int) throws -> Int {
        var dataEnd = dataOffset
        for t in tensors {
            let (start, overflowStart) = dataOffset.addingReportingOverflow(t.offset)
            let (end, overflowEnd) = start.addingReportingOverflow(t.byteCount)
            guard !overflowStart, !overflowEnd, end <= fileSize else {
                throw GGUFError.tensorOutOfBounds(tensor: t.name, offset: overflowStart ? t.offset : start,
                                                  size: t.byteCount, fileSize: fileSize)
            }
            dataEnd = max(dataEnd, end)
        }
        let byStart = tensors.sorted { ($0.offset, $0.byteCount) < ($1.offset, $1.byteCount) }
        for (a, b) in zip(byStart, byStart.dropFirst()) where a.offset + a.byteCount > b.offset {
            throw GGUFError.tensorsOverlap(tensor: b.name, other: a.name, offset: dataOffset + b.offset)
        }
        return dataEnd
    }

    private static func readValue(_ type: GGUFValueType, key: String, depth: Int, _ r: inout ByteReader) throws -> GGUFValue {
        switch type {
        case .uint8: .uint8(try r.read(UInt8.self, "key \(key)"))
        case .int8: .int8(try r.read(Int8.self, "key \(key)"))
        case .uint16: .uint16(try r.read(UInt16.self, "key \(key)"))
        case .int16: .int16(try r.read(Int16.self, "key \(key)"))
        case .uint32: .uint32(try r.read(UInt32.self, "key \(key)"))
        case .int32: .int32(try r.read(Int32.self, "key \(key)"))
        case .uint64: .uint64(try r.read(UInt64.self, "key \(key)"))
        case .int64: .int64(try r.read(Int64.self, "key \(key)"))
        case .float32: .float32(try r.readFloat("key \(key)"))
        case .float64: .float64(try r.readDouble("key \(key)"))
        case .bool: .bool(try r.read(UInt8.self, "key \(key)") != 0)
        case .string: .string(try r.readString("key \(key)"))
        case .array: .array(try readArray(key: key, depth: depth, &r))
        }
    }

    private static func readArray(key: String, depth: Int, _ r: inout ByteReader) throws -> GGUFArray {
        let typeOffset = r.offset
        guard depth < maxNesting else { throw GGUFError.nestingTooDeep(key: key, offset: typeOffset) }
        let rawType = try r.read(UInt32.self, "key \(key): array element type")
        guard let type = GGUFValueType(rawValue: rawType) else {
            throw GGUFError.unknownValueType(key: key, type: rawType, offset: typeOffset)
        }
        let minBytes = type.fixedSize ?? (type == .string ? 8 : 12)
        let n = try r.readCount(minElementBytes: minBytes, "key \(key): array count")
        func fixed<T: FixedWidthInteger>(_: T.Type) throws -> [T] {
            try r.require(n * MemoryLayout<T>.size, "key \(key): array data")
            let out = [T](unsafeUninitializedCapacity: n) { buf, count in
                for i in 0..<n {
                    buf[i] = T(littleEndian: r.base.loadUnaligned(fromByteOffset: r.offset + i * MemoryLayout<T>.size, as: T.self))
                }
                count = n
            }
            try r.skip(to: r.offset + n * MemoryLayout<T>.size, "key \(key): array data")
            return out
        }
        switch type {
        case .uint8: return .uint8(try fixed(UInt8.self))
        case .int8: return .int8(try fixed(Int8.self))
        case .uint16: return .uint16(try fixed(UInt16.self))
        case .int16: return .int16(try fixed(Int16.self))
        case .uint32: return .uint32(try fixed(UInt32.self))
        case .int32: return .int32(try fixed(Int32.self))
        case .uint64: return .uint64(try fixed(UInt64.self))
        case .int64: return .int64(try fixed(Int64.self))
        case .float32: return .float32(try fixed(UInt32.self).map(Float.init(bitPattern:)))
        case .float64: return .float64(try fixed(UInt64.self).map(Double.init(bitPattern:)))
        case .bool: return .bool(try fixed(UInt8.self).map { $0 != 0 })
        case .string:
            var out: [String] = []
            out.reserveCapacity(n)
            for i in 0..<n { out.append(try r.readString("key \(key)[\(i)]")) }
            return .string(out)
        case .array:
            var out: [GGUFArray] = []
            out.reserveCapacity(n)
            for _ in 0..<n { out.append(try readArray(key: key, depth: depth + 1, &r)) }
            return .array(out)
        }
    }
}
