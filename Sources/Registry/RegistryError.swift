import ModelStore

/// Why a pull or push failed, worded as Ollama words it where clients look for the text.
public enum RegistryError: Error, Equatable, CustomStringConvertible {
    /// The registry has no such manifest (404).
    case manifestNotFound(String)
    /// An `http://` name without `insecure`.
    case insecureProtocol
    /// Any other error status: `<code>: <body>` as Ollama reports it.
    case status(Int, body: String, url: String)
    /// The connection failed.
    case transport(url: String, reason: String)
    /// The downloaded bytes do not hash to the digest, twice in a row.
    case digestMismatch(expected: BlobDigest, actual: BlobDigest)
    /// The registry answered something the protocol does not allow.
    case badResponse(url: String, reason: String)
    /// A local store failure: disk full, permission denied, a missing model…
    case store(ModelStoreError)
    /// A name that is not a valid model name.
    case invalidName(String)

    public var description: String {
        switch self {
        case .manifestNotFound: "pull model manifest: file does not exist"
        case .insecureProtocol: "insecure protocol http"
        case .status(let code, let body, _): "\(code): \(body)"
        case .transport(let url, let reason): "\(url): \(reason)"
        case .digestMismatch(let expected, let actual):
            "digest mismatch, file must be downloaded again: want \(expected), got \(actual)"
        case .badResponse(let url, let reason): "unexpected response from \(url): \(reason)"
        case .store(let error): error.description
        case .invalidName(let name): "invalid model name \"\(name)\""
        }
    }

    /// Failures that retrying cannot fix: the disk, permissions, the protocol itself.
    var isPermanent: Bool {
        switch self {
        case .store, .insecureProtocol, .manifestNotFound, .digestMismatch, .invalidName: true
        case .status(let code, _, _): code >= 400 && code < 500 && code != 408 && code != 429
        case .transport, .badResponse: false
        }
    }
}
