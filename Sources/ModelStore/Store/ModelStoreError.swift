#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that can go wrong in the store, each with a one-line description that names the
/// path, model or digest involved.
public enum ModelStoreError: Error, Equatable, CustomStringConvertible {
    /// The disk (or the user's quota) is full.
    case diskFull(path: String)
    /// The process may not create, write or remove `path`.
    case permissionDenied(path: String, operation: String)
    /// Any other file-system failure: `operation` ("write", "rename", …) and the system's reason.
    case fileSystem(path: String, operation: String, reason: String)
    /// No manifest for this name (Ollama: `model 'x' not found`).
    case modelNotFound(String)
    /// A blob the operation needs is not in `blobs/`.
    case blobNotFound(BlobDigest)
    /// The bytes written do not hash to the digest the client promised.
    case digestMismatch(expected: BlobDigest, actual: BlobDigest)
    /// A manifest file that cannot be read as a manifest.
    case corruptManifest(path: String, reason: String)
    /// A layer whose content is not what its media type promises (e.g. params that are not a JSON object).
    case corruptLayer(path: String, reason: String)
    /// A manifest without an `application/vnd.ollama.image.model` layer.
    case noModelLayer(String)
    /// The model blob is not a readable GGUF file.
    case invalidModelFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .diskFull(let path): "no space left on device while writing \(path)"
        case .permissionDenied(let path, let operation): "permission denied: cannot \(operation) \(path)"
        case .fileSystem(let path, let operation, let reason): "cannot \(operation) \(path): \(reason)"
        case .modelNotFound(let name): "model '\(name)' not found"
        case .blobNotFound(let digest): "blob \"\(digest)\" not found"
        case .digestMismatch(let expected, let actual): "digest mismatch, expected \"\(expected)\", got \"\(actual)\""
        case .corruptManifest(let path, let reason): "corrupt manifest \(path): \(reason)"
        case .corruptLayer(let path, let reason): "corrupt layer \(path): \(reason)"
        case .noModelLayer(let name): "model '\(name)' has no model layer"
        case .invalidModelFile(let path, let reason): "not a usable GGUF model \(path): \(reason)"
        }
    }

    /// Classifies a failed system call: a full disk and a refused permission get their own cases.
    static func system(_ code: Int32, _ operation: String, _ path: String) -> ModelStoreError {
        switch code {
        case ENOSPC, EDQUOT: .diskFull(path: path)
        case EACCES, EPERM, EROFS: .permissionDenied(path: path, operation: operation)
        default: .fileSystem(path: path, operation: operation, reason: String(cString: strerror(code)))
        }
    }
}
