import ArgumentParser
import Client
import OllamaAPI

/// `tern list [PREFIX]` (alias `ls`): the server's models as Ollama's table.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List models.", aliases: ["ls"])

    @Argument(help: "Only models whose name starts with this (case-insensitive).")
    var prefix: String?

    func run() async throws {
        var models = try await withServer { try await $0.tags() }
        if let prefix { models = models.filter { $0.name.lowercased().hasPrefix(prefix.lowercased()) } }
        Terminal.out(ModelTables.list(models, now: nowSeconds()))
    }
}
