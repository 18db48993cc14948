import Foundation
import GRDB
import HummingbirdBcrypt

extension WebStore {
    /// A bcrypt hash that matches no password: verifying against it when a username is unknown
    /// makes a failed login take as long as a wrong password, so timing does not reveal usernames.
    private static let decoyHash = Bcrypt.hash("decoy password never used", cost: 11)

    public func userCount() async throws(WebStoreError) -> Int {
        try await read("counting users") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user") ?? 0 }
    }

    /// The first-run admin: refused once any user exists, checked in the same transaction that inserts.
    public func createFirstAdmin(username: String, password: String) async throws(WebStoreError) -> User {
        let hash = try await hashPassword(password, for: username)
        return try await write("creating the first admin") { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user") == 0 else { throw WebStoreError.alreadySetUp }
            return try Self.insertUser(db, username: username, hash: hash, role: .admin)
        }
    }

    public func createUser(username: String, password: String, role: User.Role) async throws(WebStoreError) -> User {
        let hash = try await hashPassword(password, for: username)
        return try await write("creating user \(username)") { db in
            try Self.insertUser(db, username: username, hash: hash, role: role)
        }
    }

    public func users() async throws(WebStoreError) -> [User] {
        try await read("listing users") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM user ORDER BY username COLLATE NOCASE").map(Self.user)
        }
    }

    public func user(id: Int64) async throws(WebStoreError) -> User? {
        try await read("reading user \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [id]).map(Self.user)
        }
    }

    /// Changes what is given. Disabling a user also ends their sessions; a new password ends them too.
    public func updateUser(id: Int64, role: User.Role? = nil, disabled: Bool? = nil,
                           password: String? = nil) async throws(WebStoreError) -> User {
        var hash: String?
        if let password { hash = try await hashPassword(password, for: nil) }
        let newHash = hash
        return try await write("updating user \(id)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [id]) else {
                throw WebStoreError.notFound("user \(id)")
            }
            var user = Self.user(row)
            let wasActiveAdmin = user.isAdmin && !user.disabled
            if let role { user.role = role }
            if let disabled { user.disabled = disabled }
            if wasActiveAdmin, !user.isAdmin || user.disabled, try Self.activeAdminCount(db) <= 1 { throw WebStoreError.lastAdmin }
            try db.execute(sql: "UPDATE user SET role = ?, disabled = ? WHERE id = ?", arguments: [user.role.rawValue, user.disabled, id])
            if let newHash {
                try db.execute(sql: "UPDATE user SET passwordHash = ? WHERE id = ?", arguments: [newHash, id])
            }
            if user.disabled || newHash != nil {
                try db.execute(sql: "DELETE FROM session WHERE userId = ?", arguments: [id])
            }
            return user
        }
    }

    /// Removes the user with their sessions, keys and chats.
    public func deleteUser(id: Int64) async throws(WebStoreError) {
        try await write("deleting user \(id)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [id]) else {
                throw WebStoreError.notFound("user \(id)")
            }
            let user = Self.user(row)
            if user.isAdmin, !user.disabled, try Self.activeAdminCount(db) <= 1 { throw WebStoreError.lastAdmin }
            try db.execute(sql: "DELETE FROM user WHERE id = ?", arguments: [id])
        }
    }

    /// The user these credentials name, or nil when the username is unknown, the password wrong or the account disabled.
    public func verifyPassword(username: String, password: String) async throws(WebStoreError) -> User? {
        let found = try await read("reading user \(username)") { db -> (User, String)? in
            try Row.fetchOne(db, sql: "SELECT * FROM user WHERE username = ?", arguments: [username]).map { (Self.user($0), $0["passwordHash"]) }
        }
        let hash = found?.1 ?? Self.decoyHash
        let matches = await Self.offload { Bcrypt.verify(password, hash: hash) }
        guard matches, let user = found?.0 else { return nil }
        return user.disabled ? nil : user
    }

    private func hashPassword(_ password: String, for username: String?) async throws(WebStoreError) -> String {
        if let username { try Self.validate(username: username) }
        guard password.count >= Self.minimumPasswordLength else { throw .passwordTooShort(minimum: Self.minimumPasswordLength) }
        let cost = bcryptCost
        return await Self.offload { Bcrypt.hash(password, cost: cost) }
    }

    static func validate(username: String) throws(WebStoreError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@")
        guard (1...64).contains(username.count), username.allSatisfy(allowed.contains) else {
            throw .invalidUsername(username)
        }
    }

    private static func insertUser(_ db: Database, username: String, hash: String, role: User.Role) throws -> User {
        guard try Row.fetchOne(db, sql: "SELECT id FROM user WHERE username = ?", arguments: [username]) == nil else {
            throw WebStoreError.usernameTaken(username)
        }
        let now = now()
        try db.execute(sql: "INSERT INTO user (username, passwordHash, role, disabled, createdAt) VALUES (?, ?, ?, 0, ?)",
                       arguments: [username, hash, role.rawValue, now])
        return User(id: db.lastInsertedRowID, username: username, role: role, disabled: false,
                    createdAt: Date(timeIntervalSince1970: now))
    }

    private static func activeAdminCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user WHERE role = 'admin' AND disabled = 0") ?? 0
    }

    static func user(_ row: Row) -> User {
        User(id: row["id"], username: row["username"], role: User.Role(rawValue: row["role"]) ?? .user,
             disabled: row["disabled"], createdAt: Date(timeIntervalSince1970: row["createdAt"]))
    }
}
