import ArgumentParser
import JSON
import GGUF

/// `tern show FILE.gguf`: what a model file holds, from its header alone.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a GGUF model's architecture, size, metadata and tensors.")

    @Argument(help: "Path to a GGUF file.")
    var model: String

    @Flag(help: "List every tensor with its type, shape and size.")
    var tensors = false

    @Flag(help: "Print JSON: every metadata key with its typed value, the tensor directory and a summary.")
    var json = false

    @Flag(help: "With --json, print long arrays in full instead of eliding them.")
    var full = false

    @Flag(name: .shortAndLong, help: "Also print the metadata keys.")
    var verbose = false

    func run() throws {
        let file = try failing { try GGUFFile(path: model) }
        if json {
            print(ModelReport.json(file, fullArrays: full).text(pretty: true))
        } else {
            print(ModelReport.text(file, metadata: verbose, tensors: tensors), terminator: "")
        }
    }
}
