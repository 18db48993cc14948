import ModelStore

/// A request path below `/v2/` of the registry protocol (§5.5), as Ollama's registry lays it out:
/// the repository is always `<namespace>/<model>`.
enum RegistryPath: Equatable {
    /// `/v2/`: the API version check.
    case base
    case manifest(ModelName)
    case blob(namespace: String, model: String, digest: String)
    /// `/v2/<ns>/<model>/blobs/uploads/`: start an upload.
    case uploads(namespace: String, model: String)
    /// `/v2/<ns>/<model>/blobs/uploads/<id>`: continue or finish one.
    case upload(namespace: String, model: String, id: String)

    /// nil for a path that is none of these (404).
    init?(_ path: String) {
        guard path.hasPrefix("/v2/") else { return nil }
        let parts = path.dropFirst(4).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1 where parts[0].isEmpty:
            self = .base
        case 4 where parts[2] == "manifests":
            // Registry names use the default host: a Tern serves its models as its own library.
            guard let name = try? ModelName(host: ModelName.defaultHost, namespace: parts[0], model: parts[1], tag: parts[3]) else { return nil }
            self = .manifest(name)
        case 4 where parts[2] == "blobs":
            self = .blob(namespace: parts[0], model: parts[1], digest: parts[3])
        case 5 where parts[2] == "blobs" && parts[3] == "uploads":
            self = parts[4].isEmpty ? .uploads(namespace: parts[0], model: parts[1])
                : .upload(namespace: parts[0], model: parts[1], id: parts[4])
        default:
            return nil
        }
    }
}
