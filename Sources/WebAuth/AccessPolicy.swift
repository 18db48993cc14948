/// `TERN_AUTH`: whether the API asks for credentials. `auto` asks only when the server listens
/// beyond loopback, so a local Ollama client keeps working unchanged.
public enum AuthMode: String, Sendable, CaseIterable {
    case auto, on, off
}

/// Who is calling, as far as the credentials presented (session cookie or API key) show.
public enum Caller: Sendable, Equatable {
    case anonymous
    case user(isAdmin: Bool)
}

/// What a request is for, which decides what it needs.
public enum RouteKind: Sendable, Equatable {
    /// The page, its assets, and the login/setup/session endpoints: the login form must load for anyone.
    case uiPublic
    /// The UI's per-user endpoints (chats, API keys): always a signed-in user.
    case uiUser
    /// User administration: always an admin.
    case uiAdmin
    /// The Ollama/OpenAI API: open or not by policy.
    case api
    /// The API's model-changing endpoints (pull, push, create, copy, delete, blobs).
    case apiAdmin
    /// Reading the registry protocol other Terns pull from (`/v2/`): sharing models is its purpose.
    case library
    /// Pushing into it (uploads, manifests): its own opt-in (`TERN_LIBRARY_PUSH`) and, where the
    /// API needs credentials, an admin's API key.
    case libraryWrite
}

public enum AccessDecision: Sendable, Equatable {
    case allow
    /// 401: present credentials.
    case unauthorized
    /// 403: these credentials may not do this.
    case forbidden
}

/// The authentication policy of issue #8: on a non-loopback bind the UI and the API need
/// credentials unless `TERN_AUTH=off`; on loopback the API stays open (Ollama compatibility)
/// while the UI still signs people in, since chats belong to accounts.
public struct AccessPolicy: Sendable, Equatable {
    public let apiRequiresAuth: Bool

    public init(mode: AuthMode, loopbackBind: Bool) {
        switch mode {
        case .on: apiRequiresAuth = true
        case .off: apiRequiresAuth = false
        case .auto: apiRequiresAuth = !loopbackBind
        }
    }

    /// A warning to print at start, when the configuration leaves a network-facing API open.
    public static func warning(mode: AuthMode, loopbackBind: Bool, address: String) -> String? {
        guard mode == .off, !loopbackBind else { return nil }
        return "TERN_AUTH=off: the API on \(address) accepts requests from anyone who can reach it, without credentials"
    }

    public func decide(_ route: RouteKind, caller: Caller) -> AccessDecision {
        switch (route, caller) {
        case (.uiPublic, _), (.library, _): return .allow
        case (.uiUser, .anonymous), (.uiAdmin, .anonymous): return .unauthorized
        case (.uiUser, .user): return .allow
        case (.uiAdmin, .user(let isAdmin)): return isAdmin ? .allow : .forbidden
        case (.api, .anonymous), (.apiAdmin, .anonymous): return apiRequiresAuth ? .unauthorized : .allow
        case (.api, .user): return .allow
        // A signed-in non-admin never changes the installed models, even where anonymous callers may (loopback).
        case (.apiAdmin, .user(let isAdmin)), (.libraryWrite, .user(let isAdmin)): return isAdmin ? .allow : .forbidden
        case (.libraryWrite, .anonymous): return apiRequiresAuth ? .unauthorized : .allow
        }
    }

    /// Which kind of route a path is. The UI lives at `/` (for browsers) and under `/web/`.
    public static func classify(method: String, path: String) -> RouteKind {
        if path == "/" || path == "/favicon.ico" { return .uiPublic }
        if path.hasPrefix("/web/") {
            if ["/web/session", "/web/login", "/web/logout", "/web/setup"].contains(path) || path.hasPrefix("/web/assets/") {
                return .uiPublic
            }
            return path == "/web/users" || path.hasPrefix("/web/users/") ? .uiAdmin : .uiUser
        }
        if path.hasPrefix("/v2/") { return method == "GET" || method == "HEAD" ? .library : .libraryWrite }
        if path.hasPrefix("/api/blobs/") { return .apiAdmin }
        if ["/api/pull", "/api/push", "/api/create", "/api/copy", "/api/delete"].contains(path) { return .apiAdmin }
        return .api
    }
}
