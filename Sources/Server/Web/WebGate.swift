import Foundation
import HTTPTypes
import Hummingbird
import JSON
import Logging
import NIOCore
import OllamaAPI
import WebAuth
import WebStore

/// Who a request comes from, and whether the policy lets it through (issue #8's auth policy).
/// Runs before every route: the UI's own endpoints and the Ollama/OpenAI API alike.
struct WebGate: Sendable {
    let store: WebStore
    let policy: AccessPolicy

    /// The signed-in user behind a request: an API key (`Authorization: Bearer tern_…`) or the
    /// session cookie. The cookie counts only on same-origin or origin-less requests, so another
    /// site's page (even a same-site one on another port) cannot act with it.
    func user(_ request: Request) async throws(WebStoreError) -> User? {
        if let token = BearerToken.parse(authorization: request.headers[.authorization]), token.hasPrefix("tern_") {
            return try await store.user(apiKey: token)
        }
        guard Self.isSameOriginOrNone(request), let token = SessionCookie.token(cookieHeader: Self.cookieHeader(request)) else { return nil }
        return try await store.user(sessionToken: token)
    }

    /// The response that refuses the request, or nil to let it through.
    func refusal(_ request: Request, user: User?) -> Response? {
        let kind = AccessPolicy.classify(method: request.method.rawValue, path: request.uri.path)
        let caller: Caller = user.map { .user(isAdmin: $0.isAdmin) } ?? .anonymous
        switch policy.decide(kind, caller: caller) {
        case .allow:
            return nil
        case .unauthorized:
            var response = HTTPResponses.error(APIError(status: 401, "unauthorized: sign in or send an API key (Authorization: Bearer tern_…)"))
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        case .forbidden:
            return HTTPResponses.error(APIError(status: 403, "forbidden: this needs an admin account"))
        }
    }

    /// Whether the request's `Origin`, if any, is this server as the browser reached it.
    static func isSameOriginOrNone(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let authority = request.head.authority, let schemeEnd = origin.range(of: "://") else { return false }
        return origin[schemeEnd.upperBound...].lowercased() == authority.lowercased()
    }

    /// All `Cookie` fields joined, as HTTP/2 clients may split them.
    static func cookieHeader(_ request: Request) -> String? {
        let values = request.headers[values: .cookie]
        return values.isEmpty ? nil : values.joined(separator: "; ")
    }

    static func isSecure(_ request: Request) -> Bool {
        SessionCookie.isSecure(forwardedProto: request.headers[HTTPField.Name("X-Forwarded-Proto")!])
    }
}
