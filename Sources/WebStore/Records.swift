import Foundation

/// A web UI account. `admin`s manage users and models; `user`s chat.
public struct User: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable {
        case admin, user
    }

    public var id: Int64
    public var username: String
    public var role: Role
    public var disabled: Bool
    public var createdAt: Date

    public var isAdmin: Bool { role == .admin }
}

/// A per-user key for scripts (`Authorization: Bearer tern_…`). Only its hash is stored; `prefix`
/// lets its owner tell keys apart in a list.
public struct APIKey: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
}

/// A saved conversation's header: what the sidebar lists.
public struct ChatSummary: Sendable, Equatable {
    public var id: String
    public var title: String
    public var model: String
    public var createdAt: Date
    public var updatedAt: Date
}

/// What a chat remembers besides its messages. `options` is a JSON object the UI owns
/// (temperature, num_ctx, think…); the store only checks that it is an object.
public struct ChatSettings: Sendable, Equatable {
    public var title: String
    public var model: String
    public var system: String
    public var options: String

    public init(title: String = "New chat", model: String = "", system: String = "", options: String = "{}") {
        self.title = title
        self.model = model
        self.system = system
        self.options = options
    }
}

/// One turn of a saved chat. `stats` is a JSON object the UI owns (token counts, rates, thinking time).
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    public var content: String
    public var thinking: String
    public var stats: String
    public var createdAt: Date

    public init(role: String, content: String, thinking: String = "", stats: String = "{}", createdAt: Date = Date()) {
        self.role = role
        self.content = content
        self.thinking = thinking
        self.stats = stats
        self.createdAt = createdAt
    }
}

/// A whole saved chat.
public struct Chat: Sendable, Equatable {
    public var summary: ChatSummary
    public var system: String
    public var options: String
    public var messages: [ChatMessage]
}
