/// Reading and writing the credentials a request carries: the session cookie and a Bearer key.
public enum SessionCookie {
    public static let name = "tern_session"

    /// The `Set-Cookie` value for a new session. HttpOnly keeps it from scripts, SameSite=Strict
    /// from other sites' requests (the CSRF defence), Secure when the browser reached us over TLS.
    public static func set(token: String, secure: Bool, maxAge: Int) -> String {
        "\(name)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that removes the session cookie (logout).
    public static func clear(secure: Bool) -> String {
        set(token: "", secure: secure, maxAge: 0)
    }

    /// The session token in a `Cookie` header, if any.
    public static func token(cookieHeader: String?) -> String? {
        guard let cookieHeader else { return nil }
        for pair in cookieHeader.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingSpaces == name else { continue }
            let value = parts[1].trimmingSpaces
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Whether the browser's connection was TLS: Tern speaks plain HTTP, so TLS means a proxy in front that says so.
    public static func isSecure(forwardedProto: String?) -> Bool {
        forwardedProto?.split(separator: ",").first?.trimmingSpaces.lowercased() == "https"
    }
}

public enum BearerToken {
    /// The token of an `Authorization: Bearer …` header.
    public static func parse(authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingSpaces
        return token.isEmpty ? nil : token
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
