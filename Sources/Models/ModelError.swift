import GGUF
import Kernels

/// Why a model cannot be built or run, naming the tensor or key involved.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case unknownArchitecture(String)
    case missingTensor(String)
    case wrongShape(tensor: String, expected: [Int], found: [Int])
    case unsupportedType(tensor: String, type: GGMLType)
    case badHyperparameter(key: String, reason: String)
    case promptTooLong(tokens: Int, context: Int)
    case unsupportedCacheType(String, reason: String)
    case unsupportedPooling(PoolingType, reason: String)
    case metadata(GGUFError)

    public var description: String {
        switch self {
        case .unknownArchitecture(let a): "architecture \(a) is not supported (supported: \(Architectures.names.joined(separator: ", ")))"
        case .missingTensor(let n): "tensor \(n): missing from the model file"
        case .wrongShape(let n, let e, let f): "tensor \(n): shape \(f), expected \(e)"
        case .unsupportedType(let n, let t): "tensor \(n): type \(t) is not supported by the CPU engine"
        case .badHyperparameter(let k, let r): "key \(k): \(r)"
        case .promptTooLong(let t, let c): "prompt of \(t) tokens does not fit the context of \(c) tokens (raise num_ctx)"
        case .unsupportedCacheType(let t, let r): "KV cache type \(t): \(r)"
        case .unsupportedPooling(let p, let r): "pooling \(p) is not supported: \(r)"
        case .metadata(let e): e.description
        }
    }
}
