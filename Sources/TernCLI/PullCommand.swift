import ArgumentParser
import Client

/// `tern pull [host[:port]/][namespace/]model[:tag]`: the server pulls the model from its registry
/// (a `TERN_LIBRARY` mirror first for names without a host) while progress bars run on stderr.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pull", abstract: "Pull a model from a registry.")

    @Argument(help: "The model: [host[:port]/][namespace/]model[:tag].")
    var model: String

    @Flag(help: "Use plain HTTP (a registry on the LAN, such as another tern serve).")
    var insecure = false

    func run() async throws {
        let progress = TransferProgress()
        defer { progress.finish() }
        try await withServer { client in
            for try await update in client.pull(model: model, insecure: insecure) { progress.show(update) }
        }
    }
}
