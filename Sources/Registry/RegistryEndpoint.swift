import ModelStore

/// Where a model lives in a registry: `<scheme>://<host>` and the repository `<namespace>/<model>`
/// with its tag (§5.4), and the URLs of the protocol's requests (§5.5).
public struct RegistryEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// `scheme://host[:port]`, no trailing slash.
    public var base: String
    public var repository: String
    public var tag: String

    /// The registry of `name`: `insecure` selects plain HTTP; an `http://` name without it is refused.
    public init(_ name: ModelName, insecure: Bool) throws(RegistryError) {
        if name.scheme == "http" && !insecure { throw .insecureProtocol }
        self.init(base: (insecure ? "http" : name.scheme) + "://" + name.host, name: name)
    }

    /// The same repository and tag at another registry (a `TERN_LIBRARY` mirror).
    public init(base: String, name: ModelName) {
        self.base = base
        repository = name.repository
        tag = name.tag
    }

    public var manifestURL: String { "\(base)/v2/\(repository)/manifests/\(tag)" }
    public func blobURL(_ digest: BlobDigest) -> String { "\(base)/v2/\(repository)/blobs/\(digest)" }
    public var uploadsURL: String { "\(base)/v2/\(repository)/blobs/uploads/" }

    /// A `Location` header made absolute: registries may answer with a path on their own host.
    func absolute(_ location: String) -> String {
        location.hasPrefix("/") ? base + location : location
    }

    public var description: String { "\(base)/\(repository):\(tag)" }
}
