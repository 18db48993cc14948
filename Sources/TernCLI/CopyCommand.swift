import ArgumentParser
import Client

/// `tern cp SOURCE DESTINATION`: another name for a model (its blobs are shared).
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cp", abstract: "Copy a model.")

    @Argument var source: String
    @Argument var destination: String

    func run() async throws {
        try await withServer { try await $0.copy(source: source, destination: destination) }
        Terminal.out("copied '\(source)' to '\(destination)'\n")
    }
}
