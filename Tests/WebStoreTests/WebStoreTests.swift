import Foundation
import Testing
import WebStore

/// A store on a fresh file in the temporary directory, with bcrypt at its minimum cost.
func makeStore() throws -> (WebStore, String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webstore-\(UUID().uuidString)")
    let path = folder.appendingPathComponent("nested/tern.db").path
    return (try WebStore(path: path, bcryptCost: 4), folder.path)
}

@Suite("Web store: accounts")
struct AccountTests {
    @Test func migrationsAreRecordedAndReopeningKeepsData() async throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try await store.appliedMigrations() == ["v1: users, sessions, API keys, chats"])
        _ = try await store.createFirstAdmin(username: "ada", password: "correct horse")
        let reopened = try WebStore(path: store.path, bcryptCost: 4)
        #expect(try await reopened.userCount() == 1)
        #expect(try await reopened.verifyPassword(username: "ada", password: "correct horse")?.role == .admin)
    }

    @Test func firstAdminOnlyOnce() async throws {
        let store = try WebStore(path: ":memory:", bcryptCost: 4)
        let admin = try await store.createFirstAdmin(username: "ada", password: "12345678")
        #expect(admin.isAdmin && !admin.disabled)
        await #expect(throws: WebStoreError.alreadySetUp) { try await store.createFirstAdmin(username: "eve", password: "12345678") }
    }

    @Test func passwordsAreHashedAndChecked() async throws {
        let store = try WebStore(path: ":memory:", bcryptCost: 4)
        _ = try await store.createFirstAdmin(username: "ada", password: "correct horse")
        #expect(try await store.verifyPassword(username: "ada", password: "correct horse") != nil)
        #expect(try await store.verifyPassword(username: "ADA", password: "correct horse") != nil)
        #expect(try await store.verifyPassword(username: "ada", password: "wrong horse") == nil)
        #expect(try await store.verifyPassword(username: "nobody", password: "correct horse") == nil)
        await #expect(throws: WebStoreError.passwordTooShort(minimum: 8)) {
            try await store.createUser(username: "bob", password: "short", role: .user)
        }
        await #expect(throws: WebStoreError.invalidUsername("bob smith")) {
            try await store.createUser(username: "bob smith", password: "12345678", role: .user)
        }
        await #expect(throws: WebStoreError.usernameTaken("Ada")) {
            try await store.createUser(username: "Ada", password: "12345678", role: .user)
        }
    }

    @Test func disablingEndsSessionsAndTheLastAdminStays() async throws {
        let store = try WebStore(path: ":memory:", bcryptCost: 4)
        let admin = try await store.createFirstAdmin(username: "ada", password: "12345678")
        let bob = try await store.createUser(username: "bob", password: "12345678", role: .user)
        let token = try await store.createSession(userID: bob.id)
        #expect(try await store.user(sessionToken: token) == bob)
        _ = try await store.updateUser(id: bob.id, disabled: true)
        #expect(try await store.user(sessionToken: token) == nil)
        #expect(try await store.verifyPassword(username: "bob", password: "12345678") == nil)
        await #expect(throws: WebStoreError.lastAdmin) { try await store.updateUser(id: admin.id, disabled: true) }
        await #expect(throws: WebStoreError.lastAdmin) { try await store.updateUser(id: admin.id, role: .user) }
        await #expect(throws: WebStoreError.lastAdmin) { try await store.deleteUser(id: admin.id) }
        _ = try await store.updateUser(id: bob.id, role: .admin, disabled: false)
        try await store.deleteUser(id: admin.id)
        #expect(try await store.users().map(\.username) == ["bob"])
        await #expect(throws: WebStoreError.notFound("user \(admin.id)")) { try await store.deleteUser(id: admin.id) }
    }

    @Test func sessionsAndKeys() async throws {
        let store = try WebStore(path: ":memory:", bcryptCost: 4)
        let ada = try await store.createFirstAdmin(username: "ada", password: "12345678")
        let bob = try await store.createUser(username: "bob", password: "12345678", role: .user)
        let token = try await store.createSession(userID: ada.id)
        #expect(token.count == 64)
        try await store.deleteSession(token: token)
        #expect(try await store.user(sessionToken: token) == nil)

        let (key, secret) = try await store.createAPIKey(userID: bob.id, name: "script")
        #expect(secret.hasPrefix("tern_") && secret.hasPrefix(key.prefix))
        #expect(try await store.user(apiKey: secret) == bob)
        #expect(try await store.user(apiKey: secret + "x") == nil)
        #expect(try await store.apiKeys(userID: bob.id).first?.lastUsedAt != nil)
        #expect(try await store.apiKeys(userID: ada.id).isEmpty)
        await #expect(throws: WebStoreError.notFound("API key \(key.id)")) { try await store.deleteAPIKey(id: key.id, userID: ada.id) }
        try await store.deleteAPIKey(id: key.id, userID: bob.id)
        #expect(try await store.user(apiKey: secret) == nil)
    }
}

@Suite("Web store: chats")
struct ChatTests {
    @Test func chatsAreSavedListedNewestFirstAndSearched() async throws {
        let store = try WebStore(path: ":memory:", bcryptCost: 4)
        let ada = try await store.createFirstAdmin(username: "ada", password: "12345678")
        let first = try await store.createChat(userID: ada.id, settings: ChatSettings(title: "Cats", model: "smollm2"))
        let second = try await store.createChat(userID: ada.id, settings: ChatSettings(title: "Dogs 100%", model: "smollm2",
                                                                                     system: "Be brief.", options: #"{"temperature":0.2}"#))
        #expect(try await store.chats(userID: ada.id).map(\.id) == [second.summary.id, first.summary.id])
        _ = try await store.replaceMessages(chatID: first.summary.id, userID: ada.id, [
            ChatMessage(role: "user", content: "Why do cats purr?"),
            ChatMessage(role: "assistant", content: "Contentment.", thinking: "hmm", stats: #"{"eval_count":3}"#),
        ])
        #expect(try await store.chats(userID: ada.id).map(\.id) == [first.summary.id, second.summary.id])
        #expect(try await store.chats(userID: ada.id, search: "PURR").map(\.id) == [first.summary.id])
        #expect(try await store.chats(userID: ada.id, search: "100%").map(\.id) == [second.summary.id])
        #expect(try await store.chats(userID: ada.id, search: "%").map(\.id) == [second.summary.id])

        let saved = try await store.chat(id: first.summary.id, userID: ada.id)
        #expect(saved.messages.map(\.content) == ["Why do cats purr?", "Contentment."])
        #expect(saved.messages[1].thinking == "hmm" && saved.messages[1].stats == #"{"eval_count":3}"#)
        #expect(try await store.chat(id: second.summary.id, userID: ada.id).system == "Be brief.")

        let renamed = try await store.updateChat(id: second.summary.id, userID: ada.id, title: "Hounds")
        #expect(renamed.title == "Hounds" && renamed.model == "smollm2")
        try await store.deleteChat(id: second.summary.id, userID: ada.id)
        #expect(try await store.chats(userID: ada.id).map(\.id) == [first.summary.id])
    }

    @Test func anotherUsersChatDoesNotExistForYou() async throws {
        let store = try WebStore(path: ":memory:", bcryptCost: 4)
        let ada = try await store.createFirstAdmin(username: "ada", password: "12345678")
        let bob = try await store.createUser(username: "bob", password: "12345678", role: .user)
        let chat = try await store.createChat(userID: ada.id, settings: ChatSettings(title: "secret"))
        let id = chat.summary.id
        #expect(try await store.chats(userID: bob.id).isEmpty)
        #expect(try await store.chats(userID: bob.id, search: "secret").isEmpty)
        await #expect(throws: WebStoreError.notFound("chat \(id)")) { try await store.chat(id: id, userID: bob.id) }
        await #expect(throws: WebStoreError.notFound("chat \(id)")) { try await store.updateChat(id: id, userID: bob.id, title: "mine") }
        await #expect(throws: WebStoreError.notFound("chat \(id)")) { try await store.replaceMessages(chatID: id, userID: bob.id, []) }
        await #expect(throws: WebStoreError.notFound("chat \(id)")) { try await store.deleteChat(id: id, userID: bob.id) }
        #expect(try await store.chat(id: id, userID: ada.id).summary.title == "secret")
    }

    @Test func deletingAUserDeletesTheirChats() async throws {
        let store = try WebStore(path: ":memory:", bcryptCost: 4)
        _ = try await store.createFirstAdmin(username: "ada", password: "12345678")
        let bob = try await store.createUser(username: "bob", password: "12345678", role: .user)
        let chat = try await store.createChat(userID: bob.id, settings: ChatSettings())
        try await store.deleteUser(id: bob.id)
        await #expect(throws: WebStoreError.notFound("chat \(chat.summary.id)")) { try await store.chat(id: chat.summary.id, userID: bob.id) }
    }

    @Test func optionsMustBeAnObject() async throws {
        let store = try WebStore(path: ":memory:", bcryptCost: 4)
        let ada = try await store.createFirstAdmin(username: "ada", password: "12345678")
        await #expect(throws: WebStoreError.invalidJSON(field: "options")) {
            try await store.createChat(userID: ada.id, settings: ChatSettings(options: "[1]"))
        }
    }
}
