import ArgumentParser
import Client

/// `tern push host[:port]/namespace/model[:tag]`: the server sends the model to that registry,
/// skipping the blobs it already holds, while progress bars run on stderr.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "push", abstract: "Push a model to a registry.")

    @Argument(help: "The model, named with the registry to push to: host[:port]/namespace/model[:tag].")
    var model: String

    @Flag(help: "Use plain HTTP (a registry on the LAN, such as another tern serve).")
    var insecure = false

    func run() async throws {
        let progress = TransferProgress()
        defer { progress.finish() }
        try await withServer { client in
            do {
                for try await update in client.push(model: model, insecure: insecure) { progress.show(update) }
            } catch let error as ClientError where error.description.contains("401") || error.description.lowercased().contains("access denied") {
                throw ValidationFailure(message: "you are not authorized to push to this namespace, create the model under a namespace you own")
            }
        }
    }
}
