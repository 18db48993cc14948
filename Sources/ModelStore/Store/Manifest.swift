import JSON
/// One entry of a manifest: a blob and what it holds.
public struct Layer: Hashable, Sendable {
    public var mediaType: String
    public var digest: BlobDigest
    public var size: Int
    /// The model this layer was inherited from (`FROM other-model`), used for registry mounts.
    public var from: String?
    /// A tensor or config name in the newer per-tensor format.
    public var name: String?

    public init(mediaType: String, digest: BlobDigest, size: Int, from: String? = nil, name: String? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.from = from
        self.name = name
    }
}

/// A Docker "image manifest v2 schema 2" document as Ollama stores one per model (§5.2).
public struct Manifest: Hashable, Sendable {
    public var schemaVersion: Int
    public var mediaType: String
    public var config: Layer
    public var layers: [Layer]

    /// A schema-2 Docker manifest over `config` and `layers`.
    public init(config: Layer, layers: [Layer]) {
        schemaVersion = 2
        mediaType = MediaType.manifest
        self.config = config
        self.layers = layers
    }

    /// Bytes of every layer plus the config blob: the size `ollama list` shows.
    public var totalSize: Int { layers.reduce(config.size) { $0 + $1.size } }

    /// Every blob the manifest refers to, the config included.
    public var referencedDigests: Set<BlobDigest> { Set(layers.map(\.digest) + [config.digest]) }

    /// The first layer of a media type.
    public func layer(ofType mediaType: String) -> Layer? { layers.first { $0.mediaType == mediaType } }

    /// Reads a manifest. Unknown keys are ignored, as Go's decoder ignores them.
    public init(json bytes: [UInt8]) throws(ManifestError) {
        let root: JSONValue
        do throws(JSONError) { root = try JSONParser.parse(bytes) } catch { throw ManifestError(reason: error.description) }
        guard let object = root.objectValue else { throw ManifestError(reason: "not a JSON object") }
        schemaVersion = object["schemaVersion"]?.intValue ?? 0
        mediaType = object["mediaType"]?.stringValue ?? ""
        guard let config = object["config"] else { throw ManifestError(reason: "no config") }
        self.config = try Self.layer(config, at: "config")
        var layers: [Layer] = []
        for (i, layer) in (object["layers"]?.arrayValue ?? []).enumerated() {
            layers.append(try Self.layer(layer, at: "layers[\(i)]"))
        }
        self.layers = layers
    }

    private static func layer(_ value: JSONValue, at path: String) throws(ManifestError) -> Layer {
        guard let o = value.objectValue else { throw ManifestError(reason: "\(path) is not an object") }
        guard let text = o["digest"]?.stringValue, let digest = BlobDigest(text) else {
            throw ManifestError(reason: "\(path) has no valid sha256 digest")
        }
        guard let size = o["size"]?.intValue, size >= 0 else { throw ManifestError(reason: "\(path) has no valid size") }
        return Layer(mediaType: o["mediaType"]?.stringValue ?? "", digest: digest, size: size,
                     from: o["from"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
                     name: o["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The bytes Ollama writes for a manifest it creates: Go's encoder, struct field order
    /// (`schemaVersion, mediaType, config, layers`; layer `mediaType, digest, size, from?, name?`),
    /// HTML-safe escaping and a trailing newline.
    public func jsonBytes() -> [UInt8] {
        GoJSONEncoder.encode(.structure([
            ("schemaVersion", .value(.int(schemaVersion))),
            ("mediaType", .value(.string(mediaType))),
            ("config", Self.node(config)),
            ("layers", .list(layers.map(Self.node))),
        ]))
    }

    private static func node(_ layer: Layer) -> GoJSON {
        .structure([
            ("mediaType", .value(.string(layer.mediaType))),
            ("digest", .value(.string(layer.digest.description))),
            ("size", .value(.int(layer.size))),
            ("from", layer.from.map { .value(.string($0)) }),
            ("name", layer.name.map { .value(.string($0)) }),
        ])
    }
}

/// Why manifest bytes are not a usable manifest.
public struct ManifestError: Error, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { "invalid manifest: \(reason)" }
}
