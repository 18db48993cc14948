import Foundation
import GRDB

/// Saved chats. Every statement names the owner (`userId = ?`): a chat id from another user
/// behaves exactly like one that does not exist.
extension WebStore {
    /// The user's chats, most recently updated first; `search` matches titles and message text, case-insensitively.
    public func chats(userID: Int64, search: String = "") async throws(WebStoreError) -> [ChatSummary] {
        try await read("listing chats") { db in
            var sql = "SELECT * FROM chat WHERE userId = ?"
            var arguments: StatementArguments = [userID]
            let term = search.trimmingCharacters(in: .whitespaces)
            if !term.isEmpty {
                let pattern = "%" + Self.likeEscaped(term) + "%"
                sql += " AND (title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM message WHERE message.chatId = chat.id AND message.content LIKE ? ESCAPE '\\'))"
                arguments += [pattern, pattern]
            }
            sql += " ORDER BY updatedAt DESC, rowid DESC"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.summary)
        }
    }

    public func createChat(userID: Int64, settings: ChatSettings) async throws(WebStoreError) -> Chat {
        try Self.checkObject(settings.options, field: "options")
        let id = UUID().uuidString.lowercased()
        return try await write("creating a chat") { db in
            let now = Self.now()
            try db.execute(sql: """
                INSERT INTO chat (id, userId, title, model, system, options, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, userID, settings.title, settings.model, settings.system, settings.options, now, now])
            let date = Date(timeIntervalSince1970: now)
            return Chat(summary: ChatSummary(id: id, title: settings.title, model: settings.model, createdAt: date, updatedAt: date),
                        system: settings.system, options: settings.options, messages: [])
        }
    }

    public func chat(id: String, userID: Int64) async throws(WebStoreError) -> Chat {
        try await read("reading chat \(id)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM chat WHERE id = ? AND userId = ?", arguments: [id, userID]) else {
                throw WebStoreError.notFound("chat \(id)")
            }
            let messages = try Row.fetchAll(db, sql: "SELECT * FROM message WHERE chatId = ? ORDER BY position", arguments: [id]).map {
                ChatMessage(role: $0["role"], content: $0["content"], thinking: $0["thinking"], stats: $0["stats"],
                            createdAt: Date(timeIntervalSince1970: $0["createdAt"]))
            }
            return Chat(summary: Self.summary(row), system: row["system"], options: row["options"], messages: messages)
        }
    }

    /// Replaces the settings given; renaming alone does not move the chat to the top of the list.
    public func updateChat(id: String, userID: Int64, title: String? = nil, model: String? = nil,
                           system: String? = nil, options: String? = nil) async throws(WebStoreError) -> ChatSummary {
        if let options { try Self.checkObject(options, field: "options") }
        return try await write("updating chat \(id)") { db in
            guard var row = try Row.fetchOne(db, sql: "SELECT * FROM chat WHERE id = ? AND userId = ?", arguments: [id, userID]) else {
                throw WebStoreError.notFound("chat \(id)")
            }
            try db.execute(sql: """
                UPDATE chat SET title = ?, model = ?, system = ?, options = ? WHERE id = ? AND userId = ?
                """, arguments: [title ?? row["title"], model ?? row["model"], system ?? row["system"], options ?? row["options"], id, userID])
            row = try Row.fetchOne(db, sql: "SELECT * FROM chat WHERE id = ?", arguments: [id])!
            return Self.summary(row)
        }
    }

    public func deleteChat(id: String, userID: Int64) async throws(WebStoreError) {
        try await write("deleting chat \(id)") { db in
            try db.execute(sql: "DELETE FROM chat WHERE id = ? AND userId = ?", arguments: [id, userID])
            guard db.changesCount == 1 else { throw WebStoreError.notFound("chat \(id)") }
        }
    }

    /// Stores the conversation as it now stands (regenerate and edit-and-resend rewrite its tail)
    /// and moves the chat to the top of the list.
    public func replaceMessages(chatID: String, userID: Int64, _ messages: [ChatMessage]) async throws(WebStoreError) -> ChatSummary {
        for message in messages { try Self.checkObject(message.stats, field: "stats") }
        return try await write("saving the messages of chat \(chatID)") { db in
            guard try Row.fetchOne(db, sql: "SELECT id FROM chat WHERE id = ? AND userId = ?", arguments: [chatID, userID]) != nil else {
                throw WebStoreError.notFound("chat \(chatID)")
            }
            try db.execute(sql: "DELETE FROM message WHERE chatId = ?", arguments: [chatID])
            for (position, m) in messages.enumerated() {
                try db.execute(sql: """
                    INSERT INTO message (chatId, position, role, content, thinking, stats, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [chatID, position, m.role, m.content, m.thinking, m.stats, m.createdAt.timeIntervalSince1970])
            }
            try db.execute(sql: "UPDATE chat SET updatedAt = ? WHERE id = ?", arguments: [Self.now(), chatID])
            return Self.summary(try Row.fetchOne(db, sql: "SELECT * FROM chat WHERE id = ?", arguments: [chatID])!)
        }
    }

    static func summary(_ row: Row) -> ChatSummary {
        ChatSummary(id: row["id"], title: row["title"], model: row["model"],
                    createdAt: Date(timeIntervalSince1970: row["createdAt"]), updatedAt: Date(timeIntervalSince1970: row["updatedAt"]))
    }

    /// `%`, `_` and `\` taken literally in a LIKE pattern that uses `ESCAPE '\'`.
    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    static func checkObject(_ json: String, field: String) throws(WebStoreError) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)), object is [String: Any] else {
            throw .invalidJSON(field: field)
        }
    }
}
