import ArgumentParser
import Client
import GGUF
import JSON
import OllamaAPI

/// `tern show MODEL`: a model's details from the server, as `ollama show` prints them; or, for
/// a GGUF file path, what the file holds, from its header alone (no server needed).
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a model's information (a model name, or a GGUF file path).")

    @Argument(help: "A model name, or a path to a GGUF file.")
    var model: String

    @Flag(help: "Show the model's license.") var license = false
    @Flag(help: "Show the model's Modelfile.") var modelfile = false
    @Flag(help: "Show the model's parameters.") var parameters = false
    @Flag(help: "Show the model's system message.") var system = false
    @Flag(help: "Show the model's template.") var template = false

    @Flag(help: "GGUF file: list every tensor with its type, shape and size.")
    var tensors = false

    @Flag(help: "GGUF file: print JSON (every metadata key with its typed value, the tensor directory and a summary).")
    var json = false

    @Flag(help: "GGUF file: with --json, print long arrays in full instead of eliding them.")
    var full = false

    @Flag(name: .shortAndLong, help: "Also print the metadata (and, from the server, the tensors).")
    var verbose = false

    func run() async throws {
        if isLocalFile(model) { return try showFile() }
        let raw: [(set: Bool, name: String)] = [
            (license, "license"), (modelfile, "modelfile"), (parameters, "parameters"), (system, "system"), (template, "template"),
        ]
        if raw.filter { $0.set }.count > 1 {
            throw ValidationFailure(message: "only one of '--license', '--modelfile', '--parameters', '--system', or '--template' can be specified")
        }
        if tensors || json || full {
            throw ValidationFailure(message: "--tensors, --json and --full need a GGUF file path; \(model) is not a file")
        }
        let show = try await withServer { try await $0.show(model: model, verbose: verbose) }
        // Ollama prints these with Println (a newline added), system and template as they are.
        switch raw.first { $0.set }?.name {
        case "license": Terminal.out(show.license + "\n")
        case "modelfile": Terminal.out(show.modelfile + "\n")
        case "parameters": Terminal.out(show.parameters + "\n")
        case "system": Terminal.out(show.system)
        case "template": Terminal.out(show.template)
        default: Terminal.out(ModelInfoView.render(show, verbose: verbose))
        }
    }

    private func showFile() throws {
        let file = try failing { try GGUFFile(path: model) }
        if json {
            print(ModelReport.json(file, fullArrays: full).text(pretty: true))
        } else {
            print(ModelReport.text(file, metadata: verbose, tensors: tensors), terminator: "")
        }
    }
}
