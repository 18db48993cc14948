import GGUF

/// Everything the tensor-type routines can refuse, each naming the type involved.
/// `description` is the one line shown to users.
public enum KernelsError: Error, Equatable, CustomStringConvertible {
    /// The routines Kernels offers; `unsupported` says which one a type lacks.
    public enum Operation: String, Sendable {
        case dequantize = "dequantization"
        case quantize = "reference quantizer"
        case quantizeActivation = "activation quantizer"
        case dot = "dot product"
    }

    /// Kernels has no such routine for the type.
    case unsupported(GGMLType, Operation)
    /// A value count that is not a whole number of the type's blocks.
    case notWholeBlocks(GGMLType, values: Int)
    /// A buffer whose size does not match the value count.
    case byteCountMismatch(GGMLType, values: Int, expectedBytes: Int, actualBytes: Int)

    public var description: String {
        switch self {
        case .unsupported(let type, let operation):
            "\(type): no \(operation.rawValue) for this type"
        case .notWholeBlocks(let type, let values):
            "\(type): \(values) values is not a whole number of \(type.blockSize)-value blocks"
        case .byteCountMismatch(let type, let values, let expected, let actual):
            "\(type): \(values) values take \(expected) bytes, the buffer has \(actual)"
        }
    }
}
