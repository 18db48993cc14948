@testable import Client
import OllamaAPI
import Testing

@Suite("Where requests go")
struct BaseURLTests {
    /// A listening address (0.0.0.0, ::) is connected to on loopback; a proxy path keeps no trailing slash.
    @Test(arguments: [(String, String)]([
        ("0.0.0.0", "http://127.0.0.1:11434"), ("[::]:7000", "http://[::1]:7000"),
        ("https://proxy.example/tern/", "https://proxy.example:443/tern"), ("example.com:1234", "http://example.com:1234"),
    ]))
    func baseURL(host: String, expected: String) async throws {
        let url = try await OllamaClient.with(address: HostAddress(parsing: host)) { $0.baseURL }
        #expect(url == expected)
    }
}
