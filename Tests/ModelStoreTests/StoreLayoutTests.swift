import JSON
@testable import ModelStore
import Foundation
import Testing

/// A store laid out by hand the way Ollama leaves one after `ollama pull`, read in place.
@Suite("Ollama's on-disk layout")
struct StoreLayoutTests {
    let dir = TemporaryDirectory()
    let store: ModelStore
    let modelBlob: [UInt8]
    let manifestBytes: [UInt8]
    let template = "{{ if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}"
    let params = #"{"stop":["<|im_start|>","<|im_end|>"],"temperature":0.2}"# + "\n"
    let license = "Apache License\nVersion 2.0"
    let config = #"{"model_format":"gguf","model_family":"llama","model_families":["llama"],"model_type":"134.52M","file_type":"Q4_1","architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#

    init() throws {
        store = ModelStore(root: dir.path)
        modelBlob = try TinyGGUF.bytes()
        var layers: [String] = []
        for (type, bytes) in [(MediaType.model, modelBlob), (MediaType.template, Array(template.utf8)),
                              (MediaType.license, Array(license.utf8)), (MediaType.params, Array(params.utf8))] {
            let d = BlobDigest.sha256(of: bytes)
            try dir.write(bytes, to: "blobs/" + d.fileName)
            layers.append(#"{"mediaType":"\#(type)","digest":"\#(d)","size":\#(bytes.count)}"#)
        }
        let c = BlobDigest.sha256(of: Array(config.utf8))
        try dir.write(config, to: "blobs/" + c.fileName)
        // Registry manifests are stored as received: here with spaces Go would not write.
        let text = #"{"schemaVersion":2, "mediaType":"application/vnd.docker.distribution.manifest.v2+json", "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"\#(c)","size":\#(config.utf8.count)}, "layers":[\#(layers.joined(separator: ","))]}"#
        manifestBytes = Array(text.utf8)
        try dir.write(manifestBytes, to: "manifests/registry.ollama.ai/library/smollm2/135m")
    }

    @Test func listsWithDigestSizeAndTime() throws {
        let listed = try store.list()
        try #require(listed.count == 1)
        let m = listed[0]
        #expect(m.name.displayShortest == "smollm2:135m")
        #expect(m.digest == BlobDigest.sha256(of: manifestBytes))
        #expect(m.size == modelBlob.count + template.utf8.count + license.utf8.count + params.utf8.count + config.utf8.count)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.path + "/manifests/registry.ollama.ai/library/smollm2/135m")
        let mtime = try #require(attributes[.modificationDate] as? Date)
        #expect(abs(Double(m.modifiedAt.seconds) + Double(m.modifiedAt.nanoseconds) / 1e9 - mtime.timeIntervalSince1970) < 1e-3)
        #expect(m.path == dir.path + "/manifests/registry.ollama.ai/library/smollm2/135m")
    }

    @Test func resolvesCaseInsensitivelyToTheDiskSpelling() throws {
        let asked = try ModelName(parsing: "SmolLM2:135M")
        let found = try #require(try store.resolve(asked))
        #expect(found.description == "registry.ollama.ai/library/smollm2:135m")
        #expect(try store.manifest(asked).digest == BlobDigest.sha256(of: manifestBytes))
        #expect(try store.resolve(ModelName(parsing: "smollm2")) == nil)
        #expect(throws: ModelStoreError.modelNotFound("smollm2:latest")) { try store.manifest(ModelName(parsing: "smollm2")) }
    }

    @Test func readsEveryLayer() throws {
        let model = try store.model(ModelName(parsing: "smollm2:135m"))
        #expect(model.modelPath == dir.path + "/blobs/" + BlobDigest.sha256(of: modelBlob).fileName)
        #expect(try store.modelBlobPath(ModelName(parsing: "smollm2:135m")) == model.modelPath)
        #expect(model.template == template)
        #expect(model.system == nil)
        #expect(model.licenses == [license])
        #expect(model.parameters == ["stop": .array([.string("<|im_start|>"), .string("<|im_end|>")]), "temperature": .double(0.2)])
        #expect(model.messages.isEmpty)
        #expect(model.parentModel == "")
        #expect(model.config.modelFamily == "llama")
        #expect(model.config.modelType == "134.52M")
        #expect(model.config.fileType == "Q4_1")
    }

    @Test func skipsWhatIsNotAModel() throws {
        try dir.write("not json", to: "manifests/registry.ollama.ai/library/broken/latest")
        try dir.write("{}", to: "manifests/registry.ollama.ai/library/smollm2/.latest.tmp-1")
        try dir.write("{}", to: "manifests/registry.ollama.ai/library/too/deep/x")
        try dir.write("{}", to: "manifests/stray-file")
        #expect(try store.list().map(\.name.displayShortest) == ["smollm2:135m"])
    }

    @Test func listsNewestFirstWithShortestNames() throws {
        try dir.write(manifestBytes, to: "manifests/myhost:5000/team/model/q4")
        try dir.write(manifestBytes, to: "manifests/registry.ollama.ai/me/m/v1")
        try dir.age("manifests/registry.ollama.ai/library/smollm2/135m", by: 300)
        try dir.age("manifests/registry.ollama.ai/me/m/v1", by: 200)
        try dir.age("manifests/myhost:5000/team/model/q4", by: 100)
        #expect(try store.list().map(\.name.displayShortest) == ["myhost:5000/team/model:q4", "me/m:v1", "smollm2:135m"])
    }

    @Test func canonicalNameReusesExistingDirectories() throws {
        let name = try store.canonicalName(for: ModelName(parsing: "Registry.Ollama.AI/LIBRARY/SmolLM2:NewTag"))
        #expect(name.description == "registry.ollama.ai/library/smollm2:NewTag")
    }
}
