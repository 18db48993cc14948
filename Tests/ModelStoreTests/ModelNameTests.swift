import JSON
@testable import ModelStore
import Testing

@Suite("Model names")
struct ModelNameTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        var input: String
        var full: String
        var display: String
        var testDescription: String { input }
    }

    static let valid: [Valid] = [
        .init(input: "llama3.2", full: "registry.ollama.ai/library/llama3.2:latest", display: "llama3.2:latest"),
        .init(input: "smollm2:135m", full: "registry.ollama.ai/library/smollm2:135m", display: "smollm2:135m"),
        .init(input: "me/m:v1", full: "registry.ollama.ai/me/m:v1", display: "me/m:v1"),
        .init(input: "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M",
              full: "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", display: "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M"),
        .init(input: "localhost:5000/ns/m:t", full: "localhost:5000/ns/m:t", display: "localhost:5000/ns/m:t"),
        .init(input: "myhost:5000/team/model:q4", full: "myhost:5000/team/model:q4", display: "myhost:5000/team/model:q4"),
        .init(input: "localhost:5000/ns/m", full: "localhost:5000/ns/m:latest", display: "localhost:5000/ns/m:latest"),
        .init(input: "registry.ollama.ai/library/qwen2.5:0.5b", full: "registry.ollama.ai/library/qwen2.5:0.5b", display: "qwen2.5:0.5b"),
        .init(input: "REGISTRY.OLLAMA.AI/Library/Qwen:X", full: "REGISTRY.OLLAMA.AI/Library/Qwen:X", display: "Qwen:X"),
        .init(input: "https://hf.co/a/b:c", full: "hf.co/a/b:c", display: "hf.co/a/b:c"),
        .init(input: "_x/_y:_z", full: "registry.ollama.ai/_x/_y:_z", display: "_x/_y:_z"),
        .init(input: "deepseek-r1:671b", full: "registry.ollama.ai/library/deepseek-r1:671b", display: "deepseek-r1:671b"),
        .init(input: String(repeating: "m", count: 80), full: "registry.ollama.ai/library/\(String(repeating: "m", count: 80)):latest",
              display: "\(String(repeating: "m", count: 80)):latest"),
    ]

    @Test(arguments: valid)
    func parses(_ c: Valid) throws {
        let name = try ModelName(parsing: c.input)
        #expect(name.description == c.full)
        #expect(name.displayShortest == c.display)
    }

    @Test func partsSchemeAndPaths() throws {
        let name = try ModelName(parsing: "http://myhost:5000/team/model:q4")
        #expect(name.scheme == "http")
        #expect(name.host == "myhost:5000")
        #expect(name.namespace == "team")
        #expect(name.model == "model")
        #expect(name.tag == "q4")
        #expect(name.manifestPath == "myhost:5000/team/model/q4")
        #expect(name.repository == "team/model")
        #expect(name.registryURL == "http://myhost:5000")
        #expect(try ModelName(parsing: "smollm2").registryURL == "https://registry.ollama.ai")
        #expect(try ModelName(parsing: "smollm2").manifestPath == "registry.ollama.ai/library/smollm2/latest")
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var input: String
        var part: ModelNamePart
        var testDescription: String { input.isEmpty ? "(empty)" : input }
    }

    static let invalid: [Invalid] = [
        .init(input: "", part: .model),
        .init(input: ":tag", part: .model),
        .init(input: "model:", part: .tag),
        .init(input: "ns/", part: .model),
        .init(input: "/model", part: .namespace),
        .init(input: "/ns/model", part: .host),
        .init(input: "a/b/c/d", part: .host),
        .init(input: "my.ns/model", part: .namespace),
        .init(input: "-model", part: .model),
        .init(input: ".model", part: .model),
        .init(input: "model:-x", part: .tag),
        .init(input: "mo del", part: .model),
        .init(input: "model@sha256:abc", part: .model),
        .init(input: "modèle", part: .model),
        .init(input: "ns:1/model", part: .namespace),
        .init(input: "host/ns/mo:del/x", part: .host),
        .init(input: String(repeating: "m", count: 81), part: .model),
        .init(input: String(repeating: "h", count: 351) + "/ns/m", part: .host),
    ]

    @Test(arguments: invalid)
    func rejects(_ c: Invalid) {
        #expect {
            try ModelName(parsing: c.input)
        } throws: { error in
            (error as? ModelNameError)?.part == c.part
        }
    }

    @Test func errorNamesTheNameAndPart() {
        #expect(throws: ModelNameError(name: "my.ns/m", part: .namespace, reason: "may not contain '.'")) {
            try ModelName(parsing: "my.ns/m")
        }
        let error = ModelNameError(name: "my.ns/m", part: .namespace, reason: "may not contain '.'")
        #expect(error.description == "invalid model name \"my.ns/m\": namespace may not contain '.'")
        #expect(ModelNameError.ollamaMessage == "invalid model name")
    }

    @Test func hostLengthLimitIs350() throws {
        let host = String(repeating: "h", count: 350)
        #expect(try ModelName(parsing: host + "/ns/m").host == host)
    }

    @Test func matchingIgnoresCase() throws {
        let a = try ModelName(parsing: "Registry.Ollama.AI/Library/SmolLM2:Latest")
        let b = try ModelName(parsing: "smollm2")
        #expect(a.matches(b))
        #expect(a != b)
        #expect(!a.matches(try ModelName(parsing: "smollm2:135m")))
        #expect(!a.matches(try ModelName(parsing: "me/smollm2")))
    }

    @Test func fromDiskParts() throws {
        let name = try ModelName(host: "hf.co", namespace: "org", model: "repo", tag: "Q4_K_M")
        #expect(name.displayShortest == "hf.co/org/repo:Q4_K_M")
        #expect(throws: ModelNameError.self) { try ModelName(host: "h", namespace: "n", model: "m", tag: ".tmp") }
    }
}
