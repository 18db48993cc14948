import Foundation
import HTTPTypes
import Hummingbird
import JSON
import Logging
import NIOCore
import OllamaAPI
import WebAuth
import WebStore
import WebUI

/// The web UI: the page at `/` for browsers, its assets under `/web/assets/`, and its JSON
/// endpoints under `/web/` (sign-in, saved chats, API keys, user administration). The chat itself
/// streams from `/api/chat` like any Ollama client.
struct WebRoutes: Sendable {
    let store: WebStore
    let throttle: LoginThrottle
    let policy: AccessPolicy
    let logger: Logger

    /// The response for a UI request, or nil when the path is not the UI's (the API answers it).
    /// The gate has already checked the caller against the policy.
    func respond(_ request: Request, _ context: TernContext, user: User?) async -> Response? {
        let path = request.uri.path
        if path == "/", request.method == .get || request.method == .head, Self.wantsHTML(request) {
            return Self.asset(Asset.page)
        }
        guard path.hasPrefix("/web/") else { return nil }
        if path.hasPrefix("/web/assets/") {
            guard request.method == .get || request.method == .head,
                  let asset = Asset.named(String(path.dropFirst("/web/assets/".count))) else {
                return HTTPResponses.text("404 page not found", status: .notFound)
            }
            return Self.asset(asset)
        }
        if request.method != .get, request.method != .head, !WebGate.isSameOriginOrNone(request) {
            return HTTPResponses.error(APIError(status: 403, "cross-origin request refused"))
        }
        let segments = path.split(separator: "/").dropFirst().map(String.init)
        let resource = segments.first ?? ""
        do throws(APIError) {
            switch (request.method, resource, segments.count) {
            case (.get, "session", 1): return try await session(user: user)
            case (.post, "setup", 1): return try await setup(request)
            case (.post, "login", 1): return try await login(request, context)
            case (.post, "logout", 1): return try await logout(request)
            default: break
            }
            // The gate refused anonymous callers; what remains is a signed-in user.
            guard let user else { throw APIError(status: 401, "unauthorized") }
            switch (request.method, resource, segments.count) {
            case (.get, "me", 1): return HTTPResponses.json(WebJSON.user(user))
            case (.post, "me", 2) where segments[1] == "password": return try await changePassword(request, user)
            case (.get, "chats", 1): return try await listChats(request, user)
            case (.post, "chats", 1): return try await createChat(request, user)
            case (.get, "chats", 2): return HTTPResponses.json(WebJSON.chat(try await run { try await store.chat(id: segments[1], userID: user.id) }))
            case (.patch, "chats", 2): return try await updateChat(request, user, id: segments[1])
            case (.delete, "chats", 2):
                try await run { try await store.deleteChat(id: segments[1], userID: user.id) }
                return HTTPResponses.json(.object([:]))
            case (.put, "chats", 3) where segments[2] == "messages": return try await saveMessages(request, user, id: segments[1])
            case (.get, "keys", 1):
                let keys = try await run { try await store.apiKeys(userID: user.id) }
                return HTTPResponses.json(.object(["keys": .array(keys.map(WebJSON.key))]))
            case (.post, "keys", 1): return try await createKey(request, user)
            case (.delete, "keys", 2):
                guard let id = Int64(segments[1]) else { throw .notFound("API key \(segments[1]) not found") }
                try await run { try await store.deleteAPIKey(id: id, userID: user.id) }
                return HTTPResponses.json(.object([:]))
            case (.get, "users", 1):
                let users = try await run { try await store.users() }
                return HTTPResponses.json(.object(["users": .array(users.map(WebJSON.user))]))
            case (.post, "users", 1): return try await createUser(request)
            case (.patch, "users", 2): return try await updateUser(request, id: segments[1])
            case (.delete, "users", 2):
                guard let id = Int64(segments[1]) else { throw .notFound("user \(segments[1]) not found") }
                try await run { try await store.deleteUser(id: id) }
                return HTTPResponses.json(.object([:]))
            default:
                return HTTPResponses.text("404 page not found", status: .notFound)
            }
        } catch {
            return HTTPResponses.error(error)
        }
    }

    // MARK: - Signing in

    private func session(user: User?) async throws(APIError) -> Response {
        let count = try await run { try await store.userCount() }
        return HTTPResponses.json(.object(["setup_required": .bool(count == 0), "user": user.map(WebJSON.user) ?? .null,
                                           "api_requires_auth": .bool(policy.apiRequiresAuth)]))
    }

    private func setup(_ request: Request) async throws(APIError) -> Response {
        let body = try await Self.object(request)
        let user = try await run {
            try await store.createFirstAdmin(username: body["username"]?.stringValue ?? "", password: body["password"]?.stringValue ?? "")
        }
        logger.info("web UI: created the first admin", metadata: ["user": "\(user.username)"])
        return try await signedIn(user, request)
    }

    private func login(_ request: Request, _ context: TernContext) async throws(APIError) -> Response {
        let client = Self.clientAddress(context)
        let now = Date().timeIntervalSince1970
        if let wait = throttle.retryAfter(client: client, now: now) {
            var response = HTTPResponses.error(APIError(status: 429, "too many failed sign-ins: try again in \(Int(wait.rounded(.up))) s"))
            response.headers[HTTPField.Name("Retry-After")!] = String(Int(wait.rounded(.up)))
            return response
        }
        let body = try await Self.object(request)
        let username = body["username"]?.stringValue ?? ""
        guard let user = try await run({ try await store.verifyPassword(username: username, password: body["password"]?.stringValue ?? "") }) else {
            throttle.recordFailure(client: client, now: now)
            logger.notice("web UI: failed sign-in", metadata: ["user": "\(username)", "client": "\(client)"])
            throw APIError(status: 401, "wrong username or password")
        }
        throttle.recordSuccess(client: client)
        return try await signedIn(user, request)
    }

    private func signedIn(_ user: User, _ request: Request) async throws(APIError) -> Response {
        let token = try await run { try await store.createSession(userID: user.id) }
        var response = HTTPResponses.json(.object(["user": WebJSON.user(user)]))
        response.headers[.setCookie] = SessionCookie.set(token: token, secure: WebGate.isSecure(request), maxAge: Int(WebStore.sessionLifetime))
        return response
    }

    /// A user's own new password, given the current one. Every session of the user ends (as when
    /// an admin sets a password); this browser gets a fresh one, so it stays signed in.
    private func changePassword(_ request: Request, _ user: User) async throws(APIError) -> Response {
        let body = try await Self.object(request)
        let current = body["current_password"]?.stringValue ?? ""
        guard try await run({ try await store.verifyPassword(username: user.username, password: current) }) != nil else {
            throw APIError(status: 403, "the current password is wrong")
        }
        let updated = try await run { try await store.updateUser(id: user.id, password: body["new_password"]?.stringValue ?? "") }
        logger.info("web UI: password changed", metadata: ["user": "\(user.username)"])
        return try await signedIn(updated, request)
    }

    private func logout(_ request: Request) async throws(APIError) -> Response {
        if let token = SessionCookie.token(cookieHeader: WebGate.cookieHeader(request)) {
            try await run { try await store.deleteSession(token: token) }
        }
        var response = HTTPResponses.json(.object([:]))
        response.headers[.setCookie] = SessionCookie.clear(secure: WebGate.isSecure(request))
        return response
    }

    // MARK: - Chats

    private func listChats(_ request: Request, _ user: User) async throws(APIError) -> Response {
        let search = request.uri.queryParameters["q"].map(String.init) ?? ""
        let chats = try await run { try await store.chats(userID: user.id, search: search) }
        return HTTPResponses.json(.object(["chats": .array(chats.map(WebJSON.summary))]))
    }

    private func createChat(_ request: Request, _ user: User) async throws(APIError) -> Response {
        let body = try await Self.object(request)
        var settings = ChatSettings()
        if let title = body["title"]?.stringValue, !title.isEmpty { settings.title = title }
        settings.model = body["model"]?.stringValue ?? ""
        settings.system = body["system"]?.stringValue ?? ""
        if let options = body["options"] { settings.options = WebJSON.text(options) }
        let chat = try await run { try await store.createChat(userID: user.id, settings: settings) }
        return HTTPResponses.json(WebJSON.chat(chat))
    }

    private func updateChat(_ request: Request, _ user: User, id: String) async throws(APIError) -> Response {
        let body = try await Self.object(request)
        let summary = try await run {
            try await store.updateChat(id: id, userID: user.id, title: body["title"]?.stringValue, model: body["model"]?.stringValue,
                                       system: body["system"]?.stringValue, options: body["options"].map(WebJSON.text))
        }
        return HTTPResponses.json(WebJSON.summary(summary))
    }

    private func saveMessages(_ request: Request, _ user: User, id: String) async throws(APIError) -> Response {
        let body = try await Self.object(request)
        guard let list = body["messages"]?.arrayValue else { throw .badRequest("messages must be an array") }
        var messages: [ChatMessage] = []
        for item in list {
            guard let m = item.objectValue, let role = m["role"]?.stringValue, ["user", "assistant", "system"].contains(role) else {
                throw .badRequest("each message needs a role: user, assistant or system")
            }
            messages.append(ChatMessage(role: role, content: m["content"]?.stringValue ?? "", thinking: m["thinking"]?.stringValue ?? "",
                                        stats: m["stats"].map(WebJSON.text) ?? "{}",
                                        createdAt: m["created_at"]?.doubleValue.map { Date(timeIntervalSince1970: $0) } ?? Date()))
        }
        let saved = messages
        let summary = try await run { try await store.replaceMessages(chatID: id, userID: user.id, saved) }
        return HTTPResponses.json(WebJSON.summary(summary))
    }

    // MARK: - Keys and users

    private func createKey(_ request: Request, _ user: User) async throws(APIError) -> Response {
        let body = try await Self.object(request)
        let name = body["name"]?.stringValue ?? ""
        guard !name.isEmpty else { throw .badRequest("a key needs a name") }
        let (key, secret) = try await run { try await store.createAPIKey(userID: user.id, name: name) }
        return HTTPResponses.json(.object(["key": WebJSON.key(key), "secret": .string(secret)]))
    }

    private func createUser(_ request: Request) async throws(APIError) -> Response {
        let body = try await Self.object(request)
        let role = try Self.role(body["role"]) ?? .user
        let user = try await run {
            try await store.createUser(username: body["username"]?.stringValue ?? "", password: body["password"]?.stringValue ?? "", role: role)
        }
        logger.info("web UI: user added", metadata: ["user": "\(user.username)", "role": "\(role.rawValue)"])
        return HTTPResponses.json(WebJSON.user(user))
    }

    private func updateUser(_ request: Request, id text: String) async throws(APIError) -> Response {
        guard let id = Int64(text) else { throw .notFound("user \(text) not found") }
        let body = try await Self.object(request)
        let role = try Self.role(body["role"])
        let user = try await run {
            try await store.updateUser(id: id, role: role, disabled: body["disabled"]?.boolValue, password: body["password"]?.stringValue)
        }
        return HTTPResponses.json(WebJSON.user(user))
    }

    // MARK: - Helpers

    /// A store call with its error turned into the HTTP error it answers with.
    /// (The closures throw untyped: Swift does not infer a closure's typed throws from its parameter.)
    private func run<T>(_ body: () async throws -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch let error as WebStoreError {
            if case .database = error { logger.error("web store: \(error)") }
            throw error.apiError
        } catch {
            throw .serverError("\(error)")
        }
    }

    private static func role(_ value: JSONValue?) throws(APIError) -> User.Role? {
        guard let value else { return nil }
        guard let text = value.stringValue, let role = User.Role(rawValue: text) else { throw .badRequest("role must be \"admin\" or \"user\"") }
        return role
    }

    private static func object(_ request: Request) async throws(APIError) -> JSONObject {
        let bytes = try await API.body(request)
        guard let value = try? JSONParser.parse(bytes), let object = value.objectValue else { throw .badRequest("the body must be a JSON object") }
        return object
    }

    /// Browsers ask for HTML first; Ollama's clients and health checks do not, and keep their `Ollama is running`.
    static func wantsHTML(_ request: Request) -> Bool {
        request.headers[values: .accept].contains { $0.contains("text/html") }
    }

    static func clientAddress(_ context: TernContext) -> String {
        context.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// An asset with headers that keep the page from running anything it did not ship with
    /// (the CSP is a second wall behind the UI's textContent-only rendering).
    static func asset(_ asset: Asset) -> Response {
        var headers: HTTPFields = [.contentType: asset.contentType, .cacheControl: "no-cache"]
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if asset.contentType.hasPrefix("text/html") {
            headers[.contentSecurityPolicy] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        }
        let body = asset.body.withUTF8Buffer { ByteBuffer(bytes: $0) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
