import ModelStore
import Registry
import Testing

@Suite("TERN_LIBRARY mirrors")
struct LibraryMirrorsTests {
    @Test func entriesParseWithHttpsAsTheDefault() {
        let mirrors = LibraryMirrors(parsing: " http://10.0.0.5:11434/ , library.lan,https://x.example:8443,ftp://no, a/b ,")
        #expect(mirrors.bases == ["http://10.0.0.5:11434", "https://library.lan", "https://x.example:8443"])
        #expect(mirrors.invalid == ["ftp://no", "a/b"])
    }

    @Test func unqualifiedNamesAskTheMirrorsFirst() throws {
        let mirrors = LibraryMirrors(parsing: "http://a:1,http://b:2")
        let name = try ModelName(parsing: "smollm2:q4")
        let endpoints = try mirrors.endpoints(for: "smollm2:q4", name: name, insecure: false)
        #expect(endpoints.map(\.manifestURL) == ["http://a:1/v2/library/smollm2/manifests/q4", "http://b:2/v2/library/smollm2/manifests/q4",
                                                 "https://registry.ollama.ai/v2/library/smollm2/manifests/q4"])
        let user = try ModelName(parsing: "me/m")
        #expect(try mirrors.endpoints(for: "me/m", name: user, insecure: false).first?.manifestURL == "http://a:1/v2/me/m/manifests/latest")
    }

    @Test func namesWithAHostGoOnlyThere() throws {
        let mirrors = LibraryMirrors(parsing: "http://a:1")
        let name = try ModelName(parsing: "127.0.0.1:9000/library/m:t")
        #expect(try mirrors.endpoints(for: "127.0.0.1:9000/library/m:t", name: name, insecure: true).map(\.manifestURL)
            == ["http://127.0.0.1:9000/v2/library/m/manifests/t"])
        #expect(throws: RegistryError.insecureProtocol) {
            try mirrors.endpoints(for: "http://h:1/ns/m", name: try ModelName(parsing: "http://h:1/ns/m"), insecure: false)
        }
    }
}
