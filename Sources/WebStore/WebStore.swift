import Dispatch
import Foundation
import GRDB
import HummingbirdBcrypt

/// The web UI's SQLite database: accounts, sessions, API keys and chats. Every chat query is
/// scoped by the owner's id, so one user's chats are unreachable through another's requests.
public final class WebStore: Sendable {
    public let path: String
    let queue: DatabaseQueue
    /// bcrypt's log2 work factor; tests lower it, since each hash at the default costs ~0.2 s.
    let bcryptCost: UInt8

    public static let minimumPasswordLength = 8
    /// How long a login lasts.
    public static let sessionLifetime: TimeInterval = 30 * 24 * 3600

    /// Opens (creating it and its folder if needed) and migrates the database at `path`;
    /// `":memory:"` gives a private in-memory one.
    public init(path: String, bcryptCost: UInt8 = 11) throws(WebStoreError) {
        self.path = path
        self.bcryptCost = bcryptCost
        do {
            if path != ":memory:" {
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            // Another process (a second `tern serve` on the same file) waits for the lock instead of failing.
            configuration.busyMode = .timeout(5)
            queue = path == ":memory:" ? try DatabaseQueue(configuration: configuration)
                                       : try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch {
            throw .database(operation: "opening \(path)", message: "\(error)")
        }
    }

    /// The schema's history. Migrations are append-only: a released one is never edited, a change is a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: users, sessions, API keys, chats") { db in
            try db.create(table: "user") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("username", .text).notNull().unique().collate(.nocase)
                t.column("passwordHash", .text).notNull()
                t.column("role", .text).notNull()
                t.column("disabled", .boolean).notNull().defaults(to: false)
                t.column("createdAt", .double).notNull()
            }
            try db.create(table: "session") { t in
                t.primaryKey("tokenHash", .text)
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.column("createdAt", .double).notNull()
                t.column("expiresAt", .double).notNull()
            }
            try db.create(table: "apiKey") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.column("name", .text).notNull()
                t.column("prefix", .text).notNull()
                t.column("keyHash", .text).notNull().unique()
                t.column("createdAt", .double).notNull()
                t.column("lastUsedAt", .double)
            }
            try db.create(table: "chat") { t in
                t.primaryKey("id", .text)
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.column("title", .text).notNull()
                t.column("model", .text).notNull()
                t.column("system", .text).notNull()
                t.column("options", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.column("updatedAt", .double).notNull()
            }
            try db.create(index: "chat_by_user_and_time", on: "chat", columns: ["userId", "updatedAt"])
            try db.create(table: "message") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("chat", onDelete: .cascade).notNull()
                t.column("position", .integer).notNull()
                t.column("role", .text).notNull()
                t.column("content", .text).notNull()
                t.column("thinking", .text).notNull()
                t.column("stats", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.uniqueKey(["chatId", "position"])
            }
        }
        return migrator
    }

    /// The migrations applied to this database, oldest first.
    public func appliedMigrations() async throws(WebStoreError) -> [String] {
        try await read("listing migrations") { db in try Self.migrator.appliedMigrations(db) }
    }

    // MARK: - Access with typed errors

    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(WebStoreError) -> T {
        do {
            return try await queue.read(body)
        } catch let error as WebStoreError {
            throw error
        } catch {
            throw .database(operation: operation, message: "\(error)")
        }
    }

    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(WebStoreError) -> T {
        do {
            return try await queue.write(body)
        } catch let error as WebStoreError {
            throw error
        } catch {
            throw .database(operation: operation, message: "\(error)")
        }
    }

    /// Runs bcrypt off Swift's cooperative pool: at cost 11 one hash takes a core for ~0.1 s, which
    /// would otherwise stall every other request's task on that thread.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }
}
