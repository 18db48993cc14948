import JSON
@testable import ModelStore
import Testing

@Suite("Manifests")
struct ManifestTests {
    static let a = BlobDigest(String(repeating: "a", count: 64).withPrefix)!
    static let b = BlobDigest(String(repeating: "b", count: 64).withPrefix)!
    static let c = BlobDigest(String(repeating: "c", count: 64).withPrefix)!

    /// What Go's encoder writes for a created manifest, byte for byte.
    static let goBytes = #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","size":487},"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":404430188384,"from":"deepseek-r1:671b"},{"mediaType":"application/vnd.ollama.image.template","digest":"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","size":387,"name":"x\u003cy"}]}"# + "\n"

    static let manifest = Manifest(
        config: Layer(mediaType: MediaType.config, digest: c, size: 487),
        layers: [
            Layer(mediaType: MediaType.model, digest: a, size: 404_430_188_384, from: "deepseek-r1:671b"),
            Layer(mediaType: MediaType.template, digest: b, size: 387, name: "x<y"),
        ])

    @Test func encodesAsOllama() {
        #expect(String(decoding: Self.manifest.jsonBytes(), as: UTF8.self) == Self.goBytes)
    }

    @Test func roundTrips() throws {
        let read = try Manifest(json: Array(Self.goBytes.utf8))
        #expect(read == Self.manifest)
        #expect(read.jsonBytes() == Array(Self.goBytes.utf8))
        #expect(read.totalSize == 404_430_188_384 + 387 + 487)
        #expect(read.referencedDigests == [Self.a, Self.b, Self.c])
        #expect(read.layer(ofType: MediaType.template)?.size == 387)
    }

    @Test func readsRegistryFormattingAndIgnoresUnknownKeys() throws {
        let pretty = """
        {
           "schemaVersion": 2,
           "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
           "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": "\(Self.c)", "size": 487, "urls": []},
           "layers": [{"mediaType": "application/vnd.ollama.image.model", "digest": "\(Self.a)", "size": 10, "annotations": {}}],
           "annotations": {"x": "y"}
        }
        """
        let m = try Manifest(json: Array(pretty.utf8))
        #expect(m.layers == [Layer(mediaType: MediaType.model, digest: Self.a, size: 10)])
        #expect(m.config.size == 487)
    }

    @Test(arguments: [
        ("[]", "invalid manifest: not a JSON object"),
        (#"{"layers":[]}"#, "invalid manifest: no config"),
        (#"{"config":{"digest":"sha256:12","size":1}}"#, "invalid manifest: config has no valid sha256 digest"),
        (#"{"config":{"digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"}}"#, "invalid manifest: config has no valid size"),
        (#"{"config":{"digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","size":1},"layers":[1]}"#, "invalid manifest: layers[0] is not an object"),
    ])
    func rejectsBrokenManifests(text: String, message: String) {
        #expect {
            try Manifest(json: Array(text.utf8))
        } throws: { ($0 as? ManifestError)?.description == message }
    }

    @Test func digestForms() throws {
        let hex = "3dbd6c4915d0718aefe8bfe6f4e62c3f2b8386af5db3386d5d2ef3fa4a7c8b12"
        let d = try #require(BlobDigest("sha256:" + hex))
        #expect(BlobDigest("sha256-" + hex) == d)
        #expect(BlobDigest("sha256:" + hex.uppercased()) == d)
        #expect(d.description == "sha256:" + hex)
        #expect(d.fileName == "sha256-" + hex)
        #expect(d.shortID == "3dbd6c4915d0")
        for bad in ["sha256:" + hex.dropLast(), "sha512:" + hex, "sha256_" + hex, hex, "sha256:" + hex.dropLast() + "g", "sha256:" + hex + "0"] {
            #expect(BlobDigest(bad) == nil, "\(bad)")
        }
    }

    @Test func sha256KnownVector() {
        #expect(BlobDigest.sha256(of: Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func mentionsFindsDigestsInBrokenText() {
        let text = "{\"layers\":[{\"digest\":\"\(Self.a)\"},{\"digest\":\"\(Self.b)" + "sha256:xyz"
        #expect(BlobDigest.mentions(in: Array(text.utf8)) == [Self.a, Self.b])
    }
}

extension String {
    var withPrefix: String { "sha256:" + self }
}
