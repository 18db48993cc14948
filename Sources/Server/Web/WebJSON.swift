import Foundation
import JSON
import WebStore

/// The web UI's JSON shapes for the store's records. Times are seconds since 1970; the stored
/// options and stats are JSON objects the browser owns, passed through as objects.
enum WebJSON {
    static func user(_ u: User) -> JSONValue {
        .object(["id": .int(Int(u.id)), "username": .string(u.username), "role": .string(u.role.rawValue),
                 "disabled": .bool(u.disabled), "created_at": .double(u.createdAt.timeIntervalSince1970)])
    }

    static func key(_ k: APIKey) -> JSONValue {
        .object(["id": .int(Int(k.id)), "name": .string(k.name), "prefix": .string(k.prefix),
                 "created_at": .double(k.createdAt.timeIntervalSince1970),
                 "last_used_at": k.lastUsedAt.map { .double($0.timeIntervalSince1970) } ?? .null])
    }

    static func summary(_ s: ChatSummary) -> JSONValue {
        .object(["id": .string(s.id), "title": .string(s.title), "model": .string(s.model),
                 "created_at": .double(s.createdAt.timeIntervalSince1970), "updated_at": .double(s.updatedAt.timeIntervalSince1970)])
    }

    static func chat(_ c: Chat) -> JSONValue {
        guard case .object(var o) = summary(c.summary) else { return .null }
        o["system"] = .string(c.system)
        o["options"] = object(c.options)
        o["messages"] = .array(c.messages.map { m in
            .object(["role": .string(m.role), "content": .string(m.content), "thinking": .string(m.thinking),
                     "stats": object(m.stats), "created_at": .double(m.createdAt.timeIntervalSince1970)])
        })
        return .object(o)
    }

    /// Stored JSON text as a value (the store only accepts objects, so a parse failure means a damaged row).
    static func object(_ text: String) -> JSONValue {
        (try? JSONParser.parse(Array(text.utf8))) ?? .object([:])
    }

    static func text(_ value: JSONValue) -> String {
        String(decoding: value.serialized(), as: UTF8.self)
    }
}
