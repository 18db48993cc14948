/// Everything that can be wrong with a GGUF file, each naming the item and the byte offset.
/// `description` is the one line shown to users.
public enum GGUFError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case badMagic(found: UInt32)
    case unsupportedVersion(UInt32)
    /// `what` ends before `needed` bytes could be read at `offset`.
    case truncated(what: String, offset: Int, needed: Int, fileSize: Int)
    /// A count the file claims cannot fit in the bytes that remain.
    case countTooLarge(what: String, count: UInt64, offset: Int, remaining: Int)
    case unknownValueType(key: String, type: UInt32, offset: Int)
    case invalidUTF8(what: String, offset: Int)
    case duplicateKey(String, offset: Int)
    case nestingTooDeep(key: String, offset: Int)
    case invalidAlignment(value: String)
    case unknownTensorType(tensor: String, type: UInt32, offset: Int)
    case tooManyDimensions(tensor: String, count: UInt32, offset: Int)
    case invalidDimension(tensor: String, index: Int, value: UInt64, offset: Int)
    case rowNotWholeBlocks(tensor: String, type: GGMLType, rowLength: Int)
    case tensorTooLarge(tensor: String)
    case duplicateTensor(String, offset: Int)
    case tensorMisaligned(tensor: String, offset: Int, alignment: Int)
    case tensorOutOfBounds(tensor: String, offset: Int, size: Int, fileSize: Int)
    case tensorsOverlap(tensor: String, other: String, offset: Int)
    case missingKey(String)
    case wrongType(key: String, expected: String, found: String)
    case writeFailed(path: String, reason: String)
    /// A tensor declared without data reached a writer that writes data.
    case tensorDataAbsent(tensor: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): cannot open: \(reason)"
        case .badMagic(let found):
            "not a GGUF file: magic is 0x\(String(found, radix: 16)) at offset 0 (expected 0x46554747, \"GGUF\")"
        case .unsupportedVersion(let v): "GGUF version \(v) at offset 4 is not supported (2 and 3 are)"
        case .truncated(let what, let offset, let needed, let fileSize):
            "\(what): file ends at \(fileSize) bytes, \(needed) more bytes needed at offset \(offset)"
        case .countTooLarge(let what, let count, let offset, let remaining):
            "\(what): count \(count) at offset \(offset) cannot fit in the \(remaining) bytes that remain"
        case .unknownValueType(let key, let type, let offset): "key \(key): unknown value type \(type) at offset \(offset)"
        case .invalidUTF8(let what, let offset): "\(what): string at offset \(offset) is not valid UTF-8"
        case .duplicateKey(let key, let offset): "key \(key): duplicate key at offset \(offset)"
        case .nestingTooDeep(let key, let offset): "key \(key): arrays nested too deeply at offset \(offset)"
        case .invalidAlignment(let value): "general.alignment: \(value) is not a positive power of two"
        case .unknownTensorType(let tensor, let type, let offset): "tensor \(tensor): unknown type \(type) at offset \(offset)"
        case .tooManyDimensions(let tensor, let count, let offset):
            "tensor \(tensor): \(count) dimensions at offset \(offset) (at most 4)"
        case .invalidDimension(let tensor, let index, let value, let offset):
            "tensor \(tensor): dimension \(index) is \(value) at offset \(offset) (must be 1 … 2^62)"
        case .rowNotWholeBlocks(let tensor, let type, let rowLength):
            "tensor \(tensor): row of \(rowLength) values is not a whole number of \(type) blocks (\(type.blockSize))"
        case .tensorTooLarge(let tensor): "tensor \(tensor): size overflows"
        case .duplicateTensor(let name, let offset): "tensor \(name): duplicate name at offset \(offset)"
        case .tensorMisaligned(let tensor, let offset, let alignment):
            "tensor \(tensor): data offset \(offset) is not a multiple of the alignment \(alignment)"
        case .tensorOutOfBounds(let tensor, let offset, let size, let fileSize):
            "tensor \(tensor): data ends beyond file (offset \(offset), size \(size), file \(fileSize) bytes)"
        case .tensorsOverlap(let tensor, let other, let offset):
            "tensor \(tensor): data at offset \(offset) overlaps tensor \(other)"
        case .missingKey(let key): "key \(key): missing"
        case .wrongType(let key, let expected, let found): "key \(key): expected \(expected), found \(found)"
        case .writeFailed(let path, let reason): "\(path): write failed: \(reason)"
        case .tensorDataAbsent(let tensor): "tensor \(tensor): declared without data; only a header can be written"
        }
    }
}
