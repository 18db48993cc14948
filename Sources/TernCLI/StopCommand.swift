import ArgumentParser
import Client
import OllamaAPI

/// `tern stop MODEL`: unload a running model now.
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop a running model.")

    @Argument var model: String

    func run() async throws {
        try await withServer { client in
            do {
                try await unload(model, with: client)
            } catch let error as ClientError where error.description.contains("not found") {
                throw ValidationFailure(message: "couldn't find model \"\(model)\" to stop")
            }
        }
    }
}

/// Asks the server to unload `model`: an empty generate with a zero keep-alive.
func unload(_ model: String, with client: OllamaClient) async throws {
    var settings = GenerationSettings()
    settings.keepAlive = .duration(nanoseconds: 0)
    for try await _ in client.generate(model: model, prompt: "", settings: settings) {}
}
