/// A model's name, `[scheme://][host/][namespace/]model[:tag]`, with Ollama's defaults merged in
/// (`https`, `registry.ollama.ai`, `library`, `latest`) and every part validated.
///
/// Equality is exact; Ollama matches names case-insensitively (`matches(_:)`), and the store
/// replaces each part of a requested name by the spelling found on disk.
public struct ModelName: Hashable, Sendable, CustomStringConvertible {
    public static let defaultScheme = "https"
    public static let defaultHost = "registry.ollama.ai"
    public static let defaultNamespace = "library"
    public static let defaultTag = "latest"

    /// The registry's URL scheme (`https`, or `http` for an insecure registry).
    public var scheme: String
    /// Registry host, possibly with a port: `registry.ollama.ai`, `hf.co`, `localhost:5000`.
    public var host: String
    public var namespace: String
    public var model: String
    public var tag: String

    /// Parses `text` as Ollama's `ParseName` does: right to left, a `:` after the last `/` starts
    /// the tag, then the model, the namespace, and everything before is the host.
    public init(parsing text: String) throws(ModelNameError) {
        var rest = Substring(text)
        var tag: Substring?
        let lastColon = rest.lastIndex(of: ":")
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = lastColon, lastSlash.map({ colon > $0 }) ?? true {
            tag = rest[rest.index(after: colon)...]
            rest = rest[..<colon]
        }
        var namespace: Substring?
        var host: Substring?
        var scheme: Substring?
        let model: Substring
        if let slash = rest.lastIndex(of: "/") {
            model = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if let slash = rest.lastIndex(of: "/") {
                namespace = rest[rest.index(after: slash)...]
                var hostPart = rest[..<slash]
                if let range = hostPart.firstRange(of: "://") {
                    scheme = hostPart[..<range.lowerBound]
                    hostPart = hostPart[range.upperBound...]
                }
                host = hostPart
            } else {
                namespace = rest
            }
        } else {
            model = rest
        }
        // A separator promises a part: "a/" or ":t" leave an empty part, which is invalid, while
        // a missing separator takes the default.
        self.scheme = scheme.flatMap { $0.isEmpty ? nil : String($0) } ?? Self.defaultScheme
        self.host = host.map(String.init) ?? Self.defaultHost
        self.namespace = namespace.map(String.init) ?? Self.defaultNamespace
        self.model = String(model)
        self.tag = tag.map(String.init) ?? Self.defaultTag
        try Self.validate(.host, self.host, in: text)
        try Self.validate(.namespace, self.namespace, in: text)
        try Self.validate(.model, self.model, in: text)
        try Self.validate(.tag, self.tag, in: text)
    }

    /// A name from its four on-disk parts (`manifests/<host>/<namespace>/<model>/<tag>`).
    public init(host: String, namespace: String, model: String, tag: String) throws(ModelNameError) {
        let text = "\(host)/\(namespace)/\(model):\(tag)"
        for (part, value) in [(ModelNamePart.host, host), (.namespace, namespace), (.model, model), (.tag, tag)] {
            try Self.validate(part, value, in: text)
        }
        self.scheme = Self.defaultScheme
        self.host = host
        self.namespace = namespace
        self.model = model
        self.tag = tag
    }

    /// `host/namespace/model:tag`, every part present.
    public var description: String { "\(host)/\(namespace)/\(model):\(tag)" }

    /// The shortest form, as `ollama list` and `/api/tags` print it: the host and namespace are
    /// left out while they are the defaults; the tag is always shown.
    public var displayShortest: String {
        if host.lowercased() != Self.defaultHost {
            return "\(host)/\(namespace)/\(model):\(tag)"
        }
        if namespace.lowercased() != Self.defaultNamespace {
            return "\(namespace)/\(model):\(tag)"
        }
        return "\(model):\(tag)"
    }

    /// The manifest's path below `manifests/`: `host/namespace/model/tag`.
    public var manifestPath: String { pathComponents.joined(separator: "/") }

    /// `[host, namespace, model, tag]`, the directories and file name of the manifest.
    public var pathComponents: [String] { [host, namespace, model, tag] }

    /// The registry repository, `namespace/model`.
    public var repository: String { "\(namespace)/\(model)" }

    /// The registry's base URL, `scheme://host`.
    public var registryURL: String { "\(scheme)://\(host)" }

    /// Whether both names denote the same model under Ollama's case-insensitive matching.
    public func matches(_ other: ModelName) -> Bool {
        zip(pathComponents, other.pathComponents).allSatisfy { $0.lowercased() == $1.lowercased() }
    }

    private static func validate(_ part: ModelNamePart, _ value: String, in text: String) throws(ModelNameError) {
        let bytes = Array(value.utf8)
        let limit = part == .host ? 350 : 80
        guard !bytes.isEmpty else { throw ModelNameError(name: text, part: part, reason: "is empty") }
        guard bytes.count <= limit else {
            throw ModelNameError(name: text, part: part, reason: "is longer than \(limit) characters")
        }
        func isWordByte(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F
        }
        guard isWordByte(bytes[0]) else {
            throw ModelNameError(name: text, part: part, reason: "must start with a letter, digit or '_'")
        }
        for b in bytes.dropFirst() where !isWordByte(b) && b != UInt8(ascii: "-") {
            if b == UInt8(ascii: "."), part != .namespace { continue }
            if b == UInt8(ascii: ":"), part == .host { continue }
            let shown = b < 0x80 ? "'\(Character(Unicode.Scalar(b)))'" : "non-ASCII characters"
            throw ModelNameError(name: text, part: part, reason: "may not contain \(shown)")
        }
    }
}
