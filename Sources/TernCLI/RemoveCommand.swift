import ArgumentParser
import Client

/// `tern rm MODEL...`: unload each model if it runs, then delete it.
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove models.")

    @Argument(help: "The models to remove.")
    var models: [String]

    func run() async throws {
        try await withServer { client in
            for model in models {
                do {
                    try await unload(model, with: client)
                } catch {
                    // A model that is not loaded (or not there) has nothing to stop.
                    if !"\(error)".lowercased().contains("not found") { Terminal.err("Warning: unable to stop model '\(model)'\n") }
                }
                try await client.delete(model: model)
                Terminal.out("deleted '\(model)'\n")
            }
        }
    }
}
