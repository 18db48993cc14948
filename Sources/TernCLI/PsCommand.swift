import ArgumentParser
import Client
import OllamaAPI

/// `tern ps [PREFIX]`: the loaded models, where they live and until when.
struct PsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List running models.")

    @Argument(help: "Only models whose name starts with this.")
    var prefix: String?

    func run() async throws {
        var models = try await withServer { try await $0.ps() }
        if let prefix { models = models.filter { $0.name.hasPrefix(prefix) } }
        Terminal.out(ModelTables.ps(models, now: nowSeconds()))
    }
}
