import JSON
@testable import ModelStore
import Testing

/// create → list → show → copy → delete, with garbage collection of blobs.
@Suite("Model lifecycle")
struct ModelLifecycleTests {
    let dir = TemporaryDirectory()
    let store: ModelStore
    let gguf: BlobDigest

    init() throws {
        store = ModelStore(root: dir.path)
        gguf = try store.blobs.write(TinyGGUF.bytes(elements: 1_500_000)).digest
    }

    func name(_ text: String) throws -> ModelName { try ModelName(parsing: text) }

    @Test func createsFromAGGUFBlob() throws {
        var recipe = ModelRecipe(base: .gguf(gguf))
        recipe.template = "{{ .Prompt }}"
        recipe.system = "Be brief."
        recipe.licenses = ["MIT", "Apache-2.0"]
        recipe.parameters = ["stop": .array([.string("<|end|>")]), "temperature": .float32(0.7)]
        recipe.messages = [ModelMessage(role: "user", content: "hi"), ModelMessage(role: "assistant", content: "hello")]
        var statuses: [String] = []
        let stored = try store.create(name("tiny"), from: recipe) { statuses.append($0) }

        #expect(stored.name.displayShortest == "tiny:latest")
        #expect(dir.exists("manifests/registry.ollama.ai/library/tiny/latest"))
        let layers = stored.manifest.layers
        #expect(layers.map(\.mediaType) == [MediaType.model, MediaType.template, MediaType.system, MediaType.license,
                                            MediaType.license, MediaType.params, MediaType.messages])
        #expect(layers.allSatisfy { $0.from == nil })
        #expect(statuses.first == "parsing GGUF")
        #expect(statuses[1] == "using existing layer \(gguf)")
        #expect(statuses.dropFirst(2).dropLast().allSatisfy { $0.hasPrefix("creating new layer sha256:") })
        #expect(statuses.last == "writing manifest")

        #expect(try dir.read("blobs/" + layers[5].digest.fileName) == Array(#"{"stop":["\u003c|end|\u003e"],"temperature":0.7}"#.utf8) + [0x0A])
        #expect(try dir.read("blobs/" + layers[6].digest.fileName)
            == Array(#"[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]"#.utf8) + [0x0A])
        #expect(String(decoding: try dir.read("blobs/" + stored.manifest.config.digest.fileName), as: UTF8.self)
            == #"{"model_format":"gguf","model_family":"llama","model_families":["llama"],"model_type":"1.50M","file_type":"Q4_0","architecture":"amd64","os":"linux"}"# + "\n")
        let onDisk = try dir.read("manifests/registry.ollama.ai/library/tiny/latest")
        #expect(onDisk == stored.manifest.jsonBytes())
        #expect(stored.digest == BlobDigest.sha256(of: onDisk))

        let model = try store.model(name("TINY"))
        #expect(model.system == "Be brief.")
        #expect(model.template == "{{ .Prompt }}")
        #expect(model.licenses == ["MIT", "Apache-2.0"])
        #expect(model.parameters == ["stop": .array([.string("<|end|>")]), "temperature": .double(0.7)])
        #expect(model.messages.map(\.content) == ["hi", "hello"])
        #expect(model.modelPath == store.blobs.path(for: gguf))
        #expect(model.config.modelType == "1.50M")

        let listed = try store.list()
        #expect(listed.map(\.name.displayShortest) == ["tiny:latest"])
        #expect(listed[0].size == layers.reduce(stored.manifest.config.size) { $0 + $1.size })
    }

    @Test func copyShareBlobsAndDeleteCollectsOnlyUnreferenced() throws {
        var recipe = ModelRecipe(base: .gguf(gguf))
        recipe.system = "one"
        let first = try store.create(name("first"), from: recipe)
        let copy = try store.copy(name("First"), to: name("me/copy:v1"))
        #expect(copy.name.displayShortest == "me/copy:v1")
        #expect(copy.digest == first.digest)
        #expect(try dir.read("manifests/registry.ollama.ai/me/copy/v1") == dir.read("manifests/registry.ollama.ai/library/first/latest"))

        recipe.system = "two"
        let second = try store.create(name("second"), from: recipe)
        let systemOne = try #require(first.manifest.layer(ofType: MediaType.system)).digest
        let systemTwo = try #require(second.manifest.layer(ofType: MediaType.system)).digest

        // The copy still uses every blob of "first": deleting "first" removes nothing.
        #expect(try store.delete(name("first")) == [])
        #expect(!dir.exists("manifests/registry.ollama.ai/library/first"))
        #expect(dir.entries("manifests/registry.ollama.ai/library") == ["second"])
        #expect(store.blobs.exists(systemOne))

        // Deleting the copy frees its system layer; the GGUF and config stay with "second".
        #expect(try store.delete(name("me/copy:v1")) == [systemOne])
        #expect(dir.entries("manifests/registry.ollama.ai") == ["library"])
        #expect(store.blobs.exists(gguf))

        let last = try store.delete(name("second"))
        #expect(Set(last) == second.manifest.referencedDigests)
        #expect(!store.blobs.exists(systemTwo))
        #expect(dir.entries("blobs").isEmpty)
        #expect(dir.entries("manifests").isEmpty)
        #expect(try store.list().isEmpty)
        #expect(throws: ModelStoreError.modelNotFound("second:latest")) { try store.delete(name("second")) }
    }

    @Test func deleteKeepsBlobsNamedByAManifestThatNoLongerParses() throws {
        let created = try store.create(name("kept"), from: ModelRecipe(base: .gguf(gguf)))
        try dir.write("{\"layers\":[{\"digest\":\"\(gguf)\"} truncated", to: "manifests/registry.ollama.ai/library/broken/latest")
        let removed = try store.delete(name("kept"))
        #expect(removed == [created.manifest.config.digest])
        #expect(store.blobs.exists(gguf))
    }

    @Test func aCorruptManifestCanStillBeDeleted() throws {
        try dir.write("{", to: "manifests/registry.ollama.ai/library/broken/latest")
        #expect(try store.delete(name("broken")) == [])
        #expect(dir.entries("manifests").isEmpty)
        #expect(store.blobs.exists(gguf))
    }

    @Test func derivingReusesLayersMergesParamsAndAppendsLicenses() throws {
        var baseRecipe = ModelRecipe(base: .gguf(gguf))
        baseRecipe.template = "T1"
        baseRecipe.system = "S1"
        baseRecipe.licenses = ["L1"]
        baseRecipe.parameters = ["stop": .array([.string("a"), .string("b")]), "num_ctx": .int(4096)]
        baseRecipe.renderer = "deepseek3"
        let base = try store.create(name("base"), from: baseRecipe)

        var recipe = ModelRecipe(base: .model(try name("BASE:latest")))
        recipe.system = "S2"
        recipe.licenses = ["L2"]
        recipe.parameters = ["stop": .array([.string("c")]), "temperature": .float32(0.5)]
        var statuses: [String] = []
        let derived = try store.create(name("derived"), from: recipe) { statuses.append($0) }

        let layers = derived.manifest.layers
        #expect(layers.map(\.mediaType) == [MediaType.model, MediaType.template, MediaType.license, MediaType.system,
                                            MediaType.license, MediaType.params])
        #expect(layers.prefix(3).allSatisfy { $0.from == "base:latest" })
        #expect(layers.dropFirst(3).allSatisfy { $0.from == nil })
        #expect(layers[1].digest == base.manifest.layers[1].digest)
        // Reused layers report first, in the base's order, less the system and params they replace.
        #expect(Array(statuses.prefix(3)) == [0, 1, 3].map { "using existing layer \(base.manifest.layers[$0].digest)" })
        let model = try store.model(name("derived"))
        #expect(model.parentModel == "base:latest")
        #expect(model.system == "S2")
        #expect(model.licenses == ["L1", "L2"])
        #expect(model.parameters == ["stop": .array([.string("c")]), "num_ctx": .int(4096), "temperature": .double(0.5)])
        #expect(model.config.renderer == "deepseek3")
        #expect(try store.model(name("base")).system == "S1")
    }

    @Test func recreatingANamePrunesWhatOnlyTheOldVersionUsed() throws {
        var recipe = ModelRecipe(base: .gguf(gguf))
        recipe.system = "old"
        let old = try store.create(name("m"), from: recipe)
        recipe.system = "new"
        _ = try store.create(name("m"), from: recipe)
        let oldSystem = try #require(old.manifest.layer(ofType: MediaType.system)).digest
        #expect(!store.blobs.exists(oldSystem))
        #expect(store.blobs.exists(gguf))

        recipe.system = "newer"
        let kept = try store.create(name("m"), from: recipe, prune: false)
        #expect(store.blobs.exists(try #require(try store.model(name("m")).stored.manifest.layer(ofType: MediaType.system)).digest))
        #expect(kept.manifest.layers.count == 2)
        #expect(dir.entries("blobs").count == 4)  // gguf, the shared config, and the "new" and "newer" system layers
    }

    @Test func createFailsCleanlyWithoutItsBlob() throws {
        let missing = BlobDigest.sha256(of: [1, 2, 3])
        #expect(throws: ModelStoreError.blobNotFound(missing)) { try store.create(name("x"), from: ModelRecipe(base: .gguf(missing))) }
        #expect(throws: ModelStoreError.modelNotFound("nothing:latest")) {
            try store.create(name("x"), from: ModelRecipe(base: .model(try name("nothing"))))
        }
        #expect(try store.list().isEmpty)
    }

    @Test func aBlobThatIsNotGGUFIsRejected() throws {
        let text = try store.blobs.write(Array("just text".utf8)).digest
        #expect {
            try store.create(name("x"), from: ModelRecipe(base: .gguf(text)))
        } throws: { error in
            guard case .invalidModelFile(let path, _)? = error as? ModelStoreError else { return false }
            return path == store.blobs.path(for: text)
        }
        #expect(!dir.exists("manifests/registry.ollama.ai/library/x"))
    }

    @Test func writingAManifestChecksItsBlobs() throws {
        let missing = BlobDigest.sha256(of: [9])
        let manifest = Manifest(config: Layer(mediaType: MediaType.config, digest: gguf, size: 1),
                                layers: [Layer(mediaType: MediaType.model, digest: missing, size: 1)])
        #expect(throws: ModelStoreError.blobNotFound(missing)) { try store.writeManifest(manifest, for: name("x")) }
        #expect(throws: ModelStoreError.self) { try store.writeManifest(bytes: Array("{}".utf8), for: name("x")) }
        #expect(dir.entries("manifests/registry.ollama.ai/library/x").isEmpty)
    }

    @Test func pruneRemovesStaleUnreferencedAndPartialFilesOnly() throws {
        let kept = try store.create(name("kept"), from: ModelRecipe(base: .gguf(gguf)))
        let orphan = try store.blobs.write(Array("orphan".utf8)).digest
        let fresh = try store.blobs.write(Array("fresh orphan".utf8)).digest
        let legacy = BlobDigest.sha256(of: Array("legacy".utf8))
        try dir.write("legacy", to: "blobs/sha256:" + legacy.hex)
        try dir.write("partial", to: "blobs/\(orphan.fileName)-partial")
        try dir.write("{}", to: "blobs/\(orphan.fileName)-partial-0")
        try dir.write("new partial", to: "blobs/\(fresh.fileName)-partial")
        for stale in [gguf.fileName, kept.manifest.config.digest.fileName, orphan.fileName, "sha256:" + legacy.hex,
                      "\(orphan.fileName)-partial", "\(orphan.fileName)-partial-0"] {
            try dir.age("blobs/" + stale, by: 7200)
        }

        let report = try store.prune()
        #expect(report.renamedFiles == ["sha256:" + legacy.hex])
        #expect(Set(report.removedBlobs) == [orphan, legacy])
        #expect(report.removedFiles == ["\(orphan.fileName)-partial", "\(orphan.fileName)-partial-0"])
        #expect(Set(dir.entries("blobs")) == [gguf.fileName, kept.manifest.config.digest.fileName, fresh.fileName, "\(fresh.fileName)-partial"])
    }

    @Test func pruneKeepsADownloadWhileAnyOfItsFilesIsFresh() throws {
        let pulling = BlobDigest.sha256(of: Array("still downloading".utf8))
        let abandoned = BlobDigest.sha256(of: Array("abandoned".utf8))
        // Part 0 finished long ago; part 1 still writes into the partial file.
        for (digest, file) in [(pulling, "-partial"), (pulling, "-partial-0"), (pulling, "-partial-1"),
                               (abandoned, "-partial"), (abandoned, "-partial-0"), (abandoned, "-partial-0.tmp")] {
            try dir.write("x", to: "blobs/\(digest.fileName)\(file)")
        }
        for stale in ["\(pulling.fileName)-partial-0", "\(abandoned.fileName)-partial", "\(abandoned.fileName)-partial-0",
                      "\(abandoned.fileName)-partial-0.tmp"] {
            try dir.age("blobs/" + stale, by: 7200)
        }

        let report = try store.prune()
        #expect(Set(report.removedFiles) == ["\(abandoned.fileName)-partial", "\(abandoned.fileName)-partial-0",
                                             "\(abandoned.fileName)-partial-0.tmp"])
        #expect(Set(dir.entries("blobs")) == [gguf.fileName, "\(pulling.fileName)-partial", "\(pulling.fileName)-partial-0",
                                              "\(pulling.fileName)-partial-1"])
    }

    @Test func pruneKeepsTheStaleFilesOfAPullInProgress() async throws {
        let pulling = BlobDigest.sha256(of: Array("pinned".utf8))
        for file in ["-partial", "-partial-0"] {
            try dir.write("x", to: "blobs/\(pulling.fileName)\(file)")
            try dir.age("blobs/\(pulling.fileName)\(file)", by: 7200)
        }
        try dir.age("blobs/" + gguf.fileName, by: 7200)

        let report = try await store.withPinnedBlobs([pulling, gguf]) { () throws(ModelStoreError) in try store.prune() }
        #expect(report == PruneReport())
        #expect(try store.prune().removedFiles.sorted() == ["\(pulling.fileName)-partial", "\(pulling.fileName)-partial-0"])
        #expect(dir.entries("blobs").isEmpty)
    }
}
