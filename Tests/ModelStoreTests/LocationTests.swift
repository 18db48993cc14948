import JSON
@testable import ModelStore
import Testing

@Suite("Where the store lives")
struct LocationTests {
    @Test func environmentChoosesTheRoot() {
        #expect(ModelStore.defaultRoot(environment: ["HOME": "/home/u"]) == "/home/u/.ollama/models")
        #expect(ModelStore.defaultRoot(environment: ["HOME": "/home/u", "OLLAMA_MODELS": "/data/ollama"]) == "/data/ollama")
        #expect(ModelStore.defaultRoot(environment: ["HOME": "/h", "OLLAMA_MODELS": "/o", "TERN_MODELS": "/t"]) == "/t")
        #expect(ModelStore.defaultRoot(environment: ["HOME": "/h", "OLLAMA_MODELS": "  \"/quoted/path'  "]) == "/quoted/path")
        #expect(ModelStore.defaultRoot(environment: ["HOME": "/h", "TERN_MODELS": " \"\" ", "OLLAMA_MODELS": "/o"]) == "/o")
    }

    @Test func rootIsAbsoluteWithoutTrailingSlash() {
        #expect(ModelStore(root: "/srv/models/").root == "/srv/models")
        #expect(ModelStore(root: "relative").root.hasSuffix("/relative"))
        #expect(ModelStore(root: "relative").root.hasPrefix("/"))
        #expect(ModelStore(root: "/srv/models").blobs.directory == "/srv/models/blobs")
        #expect(ModelStore(root: "/srv/models").manifestPath(for: try! ModelName(parsing: "a/b:c")) == "/srv/models/manifests/registry.ollama.ai/a/b/c")
    }

    @Test func fromArgumentIsAPathWhenItExistsElseAName() throws {
        let dir = TemporaryDirectory()
        try dir.write("gguf", to: "sub/model.gguf")
        #expect(try FromArgument.resolve("sub/model.gguf", relativeTo: dir.path) == .path(dir.path + "/sub/model.gguf"))
        #expect(try FromArgument.resolve("./sub/../sub/model.gguf", relativeTo: dir.path) == .path(dir.path + "/sub/model.gguf"))
        #expect(try FromArgument.resolve(dir.path + "/sub", relativeTo: "/") == .path(dir.path + "/sub"))
        #expect(try FromArgument.resolve("llama3.2", relativeTo: dir.path) == .model(try ModelName(parsing: "llama3.2")))
        #expect(throws: ModelNameError.self) { try FromArgument.resolve("./missing.gguf", relativeTo: dir.path) }
        #expect(FromArgument.expand("~/x", relativeTo: "/") == FromArgument.expand("~", relativeTo: "/")! + "/x")
        #expect(FromArgument.expand("~root/x", relativeTo: "/")?.hasSuffix("/x") == true)
        #expect(FromArgument.expand("~no-such-user-here/x", relativeTo: "/") == nil)
    }

    @Test func blobPathsOfThisStoreAreBlobs() throws {
        let dir = TemporaryDirectory()
        let store = ModelStore(root: dir.path)
        let digest = try store.blobs.write(Array("x".utf8)).digest
        #expect(FromArgument.blob(at: store.blobs.path(for: digest), in: store) == digest)
        #expect(FromArgument.blob(at: dir.path + "/elsewhere/" + digest.fileName, in: store) == nil)
        #expect(FromArgument.blob(at: store.blobs.path(for: BlobDigest.sha256(of: [1])), in: store) == nil)
    }
}
