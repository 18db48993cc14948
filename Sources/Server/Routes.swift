import JSON
import Engine
import Sampling
import Models
import ModelStore
import Logging
import GGUF
import HTTPTypes
import Hummingbird
import OllamaAPI

/// The route table (spec §1.1): exact paths, `/api/blobs/:digest`, the registry protocol below `/v2/`; an unknown path answers
/// `404 page not found`, a known path with the wrong method `405 method not allowed`, as Go's mux does.
struct Routes: Sendable {
    typealias Handler = @Sendable (Request, TernContext) async throws -> Response
    private let table: [String: [HTTPRequest.Method: Handler]]
    private let blobHandlers: [HTTPRequest.Method: @Sendable (Request, TernContext, String) async throws -> Response]
    private let api: API

    private let registry: RegistryService

    init(_ api: API, registry: RegistryService) {
        self.registry = registry
        let handlers: [String: [HTTPRequest.Method: Handler]] = [
            "/": [.get: api.root, .head: api.root],
            "/api/version": [.get: api.version, .head: api.version],
            "/api/tags": [.get: api.tags, .head: api.tags],
            "/api/ps": [.get: api.ps],
            "/api/show": [.post: api.show],
            "/api/generate": [.post: api.generate],
            "/api/chat": [.post: api.chat],
            "/api/embed": [.post: api.embed],
            "/api/embeddings": [.post: api.embeddings],
            "/api/create": [.post: api.create],
            "/api/copy": [.post: api.copy],
            "/api/delete": [.delete: api.delete],
            "/api/pull": [.post: registry.pull],
            "/api/push": [.post: registry.push],
            "/v1/chat/completions": [.post: api.openAIChat],
            "/v1/completions": [.post: api.openAICompletion],
            "/v1/models": [.get: api.openAIModels],
            "/v1/embeddings": [.post: api.openAIEmbeddings],
        ]
        table = handlers
        self.api = api
        blobHandlers = [.head: api.blobExists, .post: api.uploadBlob]
    }

    func respond(_ request: Request, _ context: TernContext) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/v2/") { return try await registry.respond(request, context) }
        if path.hasPrefix("/v1/models/") {
            guard request.method == .get else { return HTTPResponses.text("405 method not allowed", status: .methodNotAllowed) }
            return try await api.openAIModel(request, context, Self.percentDecoded(String(path.dropFirst("/v1/models/".count))))
        }
        if path.hasPrefix("/api/blobs/") {
            let digest = String(path.dropFirst("/api/blobs/".count))
            guard let handler = blobHandlers[request.method] else { return HTTPResponses.text("405 method not allowed", status: .methodNotAllowed) }
            return try await handler(request, context, digest)
        }
        guard let methods = table[path] else { return HTTPResponses.text("404 page not found", status: .notFound) }
        guard let handler = methods[request.method] else { return HTTPResponses.text("405 method not allowed", status: .methodNotAllowed) }
        return try await handler(request, context)
    }

    /// `%3A` → `:` in a path segment (model ids carry colons).
    static func percentDecoded(_ s: String) -> String {
        var out: [UInt8] = []
        var bytes = Array(s.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%"), bytes.count >= 2, let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(v)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
