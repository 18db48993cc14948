import ArgumentParser

/// The `tern` command line: one subcommand per verb, as `ollama` has.
public struct Tern: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tern",
        abstract: "A local LLM server and engine for GGUF models.",
        subcommands: [
            RunCommand.self,
            ServeCommand.self,
            ShowCommand.self,
            CreateCommand.self,
            PullCommand.self,
            PushCommand.self,
            ListCommand.self,
            PsCommand.self,
            CopyCommand.self,
            RemoveCommand.self,
            StopCommand.self,
            BenchCommand.self,
            TokenizeCommand.self,
            DetokenizeCommand.self,
            BenchOpenCommand.self,
            BenchMemoryCommand.self,
            BenchKernelsCommand.self,
            PlanCommand.self, SkeletonCommand.self,
        ]
    )

    public init() {}

    /// Parses the command line and runs the command. A bare `--think` becomes `--think=true`:
    /// ollama's flag takes an optional value, which ArgumentParser options cannot.
    public static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        await main(arguments[..<end].map { $0 == "--think" ? "--think=true" : $0 } + arguments[end...])
    }
}

/// Turns any error into the one line a user sees, then exits non-zero.
func failing<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as any CustomStringConvertible & Error {
        throw ValidationFailure(message: error.description)
    }
}

/// An error whose message is printed as is, prefixed with "Error:" by ArgumentParser.
struct ValidationFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
