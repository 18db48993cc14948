import ArgumentParser
import Client
import Engine
import JSON
import ModelStore
import Models
import OllamaAPI

/// `tern run MODEL [PROMPT...]`: stream an answer from the server, one-shot with a prompt or in
/// an interactive chat without one. A GGUF file path instead of a model name runs the local
/// engine in this process (no server; `--raw` required until templates exist there).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model: stream a completion for PROMPT, or chat interactively without one.")

    @Argument(help: "A model name, or a path to a GGUF file.")
    var model: String

    @Argument(parsing: .remaining, help: "The prompt. Without it, an interactive session starts.")
    var prompt: [String] = []

    @Option(name: .customShort("o"), help: ArgumentHelp("Set a parameter, as a Modelfile PARAMETER does.", valueName: "name=value"))
    var parameters: [String] = []

    @Flag(help: "Print timings and token rates after the answer.")
    var verbose = false

    @Option(help: "Response format: json.")
    var format: String?

    @Option(help: ArgumentHelp("How long the model stays loaded after the answer (e.g. 5m, 1h, -1m for ever).", valueName: "duration"))
    var keepalive: String?

    @Flag(help: "Do not wrap words at the terminal's width.")
    var nowordwrap = false

    @Option(help: ArgumentHelp("Thinking: true, false, low, medium, high or max (a bare --think is true).", valueName: "level"))
    var think: String?

    @Flag(help: "Do not print the model's thinking.")
    var hidethinking = false

    @Flag(help: "Accepted for compatibility with ollama (it concerns pulling, which Tern does not do).")
    var insecure = false

    @Flag(help: "GGUF file: send the prompt as is (BOS as the model says; no chat template).")
    var raw = false

    @Option(name: .customLong("kv-type"), help: "GGUF file: KV cache type f16 (default, as llama.cpp), f32 or q8_0.")
    var kvType = "f16"

    func run() async throws {
        if isLocalFile(model) { return try runLocally() }
        if raw || kvType != "f16" {
            throw ValidationFailure(message: "--raw and --kv-type need a GGUF file path; \(model) is not a file")
        }
        var run = RemoteRun(model: model, settings: try settings(), verbose: verbose,
                            wordWrap: !nowordwrap, hideThinking: hidethinking, thinkChosen: think != nil)
        Interrupt.install()
        var text = prompt.joined(separator: " ")
        if !prompt.isEmpty && !Terminal.isTerminal(.standardInput) {
            // Piped input comes before the prompt's words (`cat notes | tern run m summarize`).
            let piped = Terminal.readAllInput()
            if !piped.isEmpty { text = piped + " " + text }
        }
        try await withServer { client in
            if prompt.isEmpty {
                try await run.chat(with: client)
            } else {
                try await run.answer(text, with: client)
            }
        }
    }

    /// The request settings the flags choose.
    private func settings() throws -> GenerationSettings {
        var settings = GenerationSettings()
        for p in parameters {
            guard let eq = p.firstIndex(of: "=") else { throw ValidationFailure(message: "-o \(p): expected name=value") }
            let name = String(p[..<eq])
            switch ParameterTable.value(of: name, text: String(p[p.index(after: eq)...])) {
            case .failure(let error): throw ValidationFailure(message: error.message)
            case .success(.array(let more)): settings.options[name] = .array((settings.options[name]?.arrayValue ?? []) + more)
            case .success(let value): settings.options[name] = value
            }
        }
        settings.format = format
        if let keepalive {
            do throws(APIError) { settings.keepAlive = try KeepAlive(json: .string(keepalive)) } catch {
                throw ValidationFailure(message: error.message)
            }
        }
        if let think {
            switch think {
            case "true", "false": settings.think = .enabled(think == "true")
            case _ where ThinkValue.levels.contains(think): settings.think = .level(think)
            default: throw ValidationFailure(message: "invalid value \"\(think)\" for --think: expected true, false, low, medium, high or max")
            }
        }
        return settings
    }

    /// The engine in this process on a GGUF file.
    private func runLocally() throws {
        var options = RunOptions()
        for p in parameters {
            guard let eq = p.firstIndex(of: "=") else { throw ValidationFailure(message: "-o \(p): expected name=value") }
            try failing { try options.set(String(p[..<eq]), text: String(p[p.index(after: eq)...])) }
        }
        guard let cacheType = KVCacheType(rawValue: kvType) else {
            throw ValidationFailure(message: "--kv-type \(kvType): expected one of f16, f32, q8_0")
        }
        options.kvCacheType = cacheType
        let loaded = try failing { try LoadedModel(path: model, threads: options.numThread) }
        if !raw {
            throw ValidationFailure(message: "\(model): chat templates are not supported yet; pass --raw to send the prompt as is")
        }
        Interrupt.install()
        var session = LocalSession(loaded: loaded, options: options, verbose: verbose)
        if prompt.isEmpty {
            session.repl()
        } else {
            try failing { try session.answer(prompt.joined(separator: " ")) }
        }
    }
}
