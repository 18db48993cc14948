import JSON
@testable import ModelStore
import GGUF
import Testing

/// Ollama's own create tests (server/routes_create_test.go at v0.33.0-rc2) name the blobs their
/// requests must leave behind. The same requests here must leave blobs with the same digests:
/// proof that config, params, messages, template, system and license layers are byte-identical.
/// (The GGUF itself comes from a different writer, so its digest is ours.)
@Suite("Blobs as Ollama's create tests expect them")
struct OllamaFixtureTests {
    let dir = TemporaryDirectory()
    let store: ModelStore
    let gguf: BlobDigest

    /// Ollama's `config.json` for a GGUF whose only metadata is `general.architecture = "test"`.
    static let config = "99759ad5b91e723db0393d698ffbb448b1b7df5ff6377a108c49254583b1bc8c"

    init() throws {
        store = ModelStore(root: dir.path)
        var w = GGUFWriter()
        try w.set("general.architecture", .string("test"))
        gguf = try store.blobs.write(w.serialized()).digest
    }

    func blobs() -> Set<String> { Set(dir.entries("blobs").map { String($0.dropFirst("sha256-".count)) }) }

    @Test func mergeParameters() throws {
        var recipe = ModelRecipe(base: .gguf(gguf))
        recipe.parameters = ["temperature": .int(1), "top_k": .int(10), "stop": .array([.string("USER:"), .string("ASSISTANT:")])]
        try store.create(ModelName(parsing: "test"), from: recipe)
        #expect(blobs() == [gguf.hex, Self.config, "1d0ad71299d48c2fb7ae2b98e683643e771f8a5b72be34942af90d97a91c1e37"])

        var derived = ModelRecipe(base: .model(try ModelName(parsing: "test")))
        derived.parameters = ["temperature": .double(0.6), "top_p": .double(0.7)]
        try store.create(ModelName(parsing: "test2"), from: derived)
        #expect(blobs() == [gguf.hex, Self.config, "1d0ad71299d48c2fb7ae2b98e683643e771f8a5b72be34942af90d97a91c1e37",
                            "e29a7b3c47287a2489c895d21fe413c20f859a85d20e749492f52a838e36e1ba"])

        derived.parameters["stop"] = .array([.string("<|endoftext|>")])
        try store.create(ModelName(parsing: "test2"), from: derived)
        #expect(blobs() == [gguf.hex, Self.config, "1d0ad71299d48c2fb7ae2b98e683643e771f8a5b72be34942af90d97a91c1e37",
                            "12f58bb75cb3042d69a7e013ab87fb3c3c7088f50ddc62f0c77bd332f0d44d35"])
    }

    @Test func messages() throws {
        var recipe = ModelRecipe(base: .gguf(gguf))
        recipe.messages = [ModelMessage(role: "assistant", content: "What is my purpose?"), ModelMessage(role: "user", content: "You run tests."),
                           ModelMessage(role: "assistant", content: "Oh, my god.")]
        try store.create(ModelName(parsing: "test"), from: recipe)
        #expect(blobs() == [gguf.hex, Self.config, "298baeaf6928a60cf666d88d64a1ba606feb43a2865687c39e40652e407bffc4"])
    }

    @Test func templateSystemAndLicenses() throws {
        var recipe = ModelRecipe(base: .gguf(gguf))
        recipe.template = "{{ .System }} {{ .Prompt }}"
        recipe.system = "Say bye!"
        recipe.licenses = ["MIT", "Apache-2.0"]
        try store.create(ModelName(parsing: "test"), from: recipe)
        #expect(blobs() == [gguf.hex, Self.config,
                            "fe7ac77b725cda2ccad03f88a880ecdfd7a33192d6cae08fce2c0ee1455991ed",
                            "4c5f51faac758fecaff8db42f0b7382891a4d0c0bb885f7b86be88c814a7cc86",
                            "e5dcffe836b6ec8a58e492419b550e65fb8cbdc308503979e5dacb33ac7ea3b7",
                            "2af71558e438db0b73a20beab92dc278a94e1bbe974c00c1a33e3ab62d53a608"])
    }
}
