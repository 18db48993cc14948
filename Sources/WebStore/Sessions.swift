import Foundation
import GRDB

extension WebStore {
    /// Starts a session for the user and returns its token (the cookie's value); only its hash is stored.
    public func createSession(userID: Int64) async throws(WebStoreError) -> String {
        let token = Secrets.randomHex(bytes: 32)
        let hash = Secrets.sha256Hex(token)
        try await write("creating a session") { db in
            let now = Self.now()
            try db.execute(sql: "DELETE FROM session WHERE expiresAt < ?", arguments: [now])
            try db.execute(sql: "INSERT INTO session (tokenHash, userId, createdAt, expiresAt) VALUES (?, ?, ?, ?)",
                           arguments: [hash, userID, now, now + Self.sessionLifetime])
        }
        return token
    }

    /// The enabled user a live session token belongs to.
    public func user(sessionToken token: String) async throws(WebStoreError) -> User? {
        let hash = Secrets.sha256Hex(token)
        return try await read("reading a session") { db in
            try Row.fetchOne(db, sql: """
                SELECT user.* FROM session JOIN user ON user.id = session.userId
                WHERE session.tokenHash = ? AND session.expiresAt > ? AND user.disabled = 0
                """, arguments: [hash, Self.now()]).map(Self.user)
        }
    }

    public func deleteSession(token: String) async throws(WebStoreError) {
        let hash = Secrets.sha256Hex(token)
        try await write("ending a session") { db in
            try db.execute(sql: "DELETE FROM session WHERE tokenHash = ?", arguments: [hash])
        }
    }

    /// A new API key for the user: the secret is returned once and never stored.
    public func createAPIKey(userID: Int64, name: String) async throws(WebStoreError) -> (key: APIKey, secret: String) {
        let secret = "tern_" + Secrets.randomHex(bytes: 24)
        let hash = Secrets.sha256Hex(secret)
        let prefix = String(secret.prefix(12))
        let key = try await write("creating an API key") { db in
            let now = Self.now()
            try db.execute(sql: "INSERT INTO apiKey (userId, name, prefix, keyHash, createdAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [userID, name, prefix, hash, now])
            return APIKey(id: db.lastInsertedRowID, name: name, prefix: prefix, createdAt: Date(timeIntervalSince1970: now), lastUsedAt: nil)
        }
        return (key, secret)
    }

    public func apiKeys(userID: Int64) async throws(WebStoreError) -> [APIKey] {
        try await read("listing API keys") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM apiKey WHERE userId = ? ORDER BY createdAt DESC, id DESC", arguments: [userID]).map {
                APIKey(id: $0["id"], name: $0["name"], prefix: $0["prefix"], createdAt: Date(timeIntervalSince1970: $0["createdAt"]),
                       lastUsedAt: ($0["lastUsedAt"] as Double?).map { Date(timeIntervalSince1970: $0) })
            }
        }
    }

    /// Revokes one of the user's own keys; another user's key id is reported as not found.
    public func deleteAPIKey(id: Int64, userID: Int64) async throws(WebStoreError) {
        try await write("deleting API key \(id)") { db in
            try db.execute(sql: "DELETE FROM apiKey WHERE id = ? AND userId = ?", arguments: [id, userID])
            guard db.changesCount == 1 else { throw WebStoreError.notFound("API key \(id)") }
        }
    }

    /// The enabled user an API key belongs to; records when the key was last used.
    public func user(apiKey secret: String) async throws(WebStoreError) -> User? {
        let hash = Secrets.sha256Hex(secret)
        return try await write("checking an API key") { db in
            guard let user = try Row.fetchOne(db, sql: """
                SELECT user.* FROM apiKey JOIN user ON user.id = apiKey.userId WHERE apiKey.keyHash = ? AND user.disabled = 0
                """, arguments: [hash]).map(Self.user) else { return nil }
            try db.execute(sql: "UPDATE apiKey SET lastUsedAt = ? WHERE keyHash = ?", arguments: [Self.now(), hash])
            return user
        }
    }
}
