#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Engine
import GGUF
import Models
import Sampling

/// `tern run MODEL [PROMPT]`: generate from a GGUF file, one-shot or in an interactive REPL.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model: stream a completion for PROMPT, or chat interactively without one.")

    @Argument(help: "Path to a GGUF file.")
    var model: String

    @Argument(parsing: .remaining, help: "The prompt. Without it, an interactive session starts.")
    var prompt: [String] = []

    @Flag(help: "Send the prompt as is (BOS as the model says; no chat template).")
    var raw = false

    @Option(name: .customShort("o"), help: ArgumentHelp("Set a parameter, as a Modelfile PARAMETER does.", valueName: "name=value"))
    var parameters: [String] = []

    @Flag(help: "Print timings and token rates after the answer.")
    var verbose = false

    @Option(name: .customLong("kv-type"), help: "KV cache type: f16 (default, as llama.cpp), f32 or q8_0.")
    var kvType = "f16"

    func run() throws {
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
        var session = Session(loaded: loaded, options: options, verbose: verbose)
        if prompt.isEmpty {
            session.repl()
        } else {
            try failing { try session.answer(prompt.joined(separator: " ")) }
        }
    }
}

/// One `tern run` session: the loaded model, the options the user has set, and the REPL.
struct Session {
    let loaded: LoadedModel
    var options: RunOptions
    var verbose: Bool
    private var loadReported = false

    init(loaded: LoadedModel, options: RunOptions, verbose: Bool) {
        self.loaded = loaded
        self.options = options
        self.verbose = verbose
    }

    /// Streams the model's continuation of `text` to stdout.
    mutating func answer(_ text: String) throws {
        let generator = Generator(loaded, options: options)
        let stats = try generator.generate(prompt: generator.tokenize(text)) { piece in
            Terminal.out(piece)
            return !Interrupt.take()
        }
        Terminal.out("\n")
        if verbose {
            let load = loadReported ? 0 : loaded.loadDuration
            loadReported = true
            Terminal.err(OllamaFormat.statistics(stats, loadDuration: load))
        }
    }

    mutating func repl() {
        while let message = readMessage() {
            if message.hasPrefix("/") {
                if !command(message) { return }
                continue
            }
            if message.isEmpty { continue }
            do {
                try answer(message)
            } catch {
                Terminal.out("Error: \(error)\n")
            }
        }
    }

    /// Reads one message; a line starting with """ opens a block that ends at a line ending with """.
    private func readMessage() -> String? {
        Terminal.out(">>> ")
        while true {
            guard let line = readLine(strippingNewline: true) else { return nil }
            if Interrupt.take() {
                Terminal.out("Use Ctrl + d or /bye to exit.\n>>> ")
                continue
            }
            guard line.hasPrefix("\"\"\"") else { return line }
            var body = String(line.dropFirst(3))
            if body.hasSuffix("\"\"\""), !body.isEmpty { return String(body.dropLast(3)) }
            while true {
                Terminal.out("... ")
                guard let more = readLine(strippingNewline: true) else { return body }
                if more.hasSuffix("\"\"\"") {
                    body += (body.isEmpty ? "" : "\n") + more.dropLast(3)
                    return body
                }
                body += (body.isEmpty ? "" : "\n") + more
            }
        }
    }

    /// Handles a slash command; false means leave the REPL.
    private mutating func command(_ line: String) -> Bool {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch words.first ?? "" {
        case "/bye", "/exit":
            return false
        case "/?", "/help":
            Terminal.out("""
            Available Commands:
              /set parameter NAME VALUE   Set a parameter
              /set verbose | quiet        Show or hide timings
              /show info                  Show details for this model
              /clear                      Clear session context
              /bye                        Exit

            """)
        case "/set" where words.count >= 4 && words[1] == "parameter":
            let value = words[3...].joined(separator: " ")
            do {
                if words[2] == "stop" { options.sampling.stop = [] }
                for v in words[2] == "stop" ? Array(words[3...]) : [value] { try options.set(words[2], text: v) }
                Terminal.out("Set parameter '\(words[2])' to '\(words[2] == "stop" ? words[3...].joined(separator: ", ") : value)'\n")
            } catch {
                Terminal.out("Couldn't set parameter: \"\(error)\"\n")
            }
        case "/set" where words.count == 2 && (words[1] == "verbose" || words[1] == "quiet"):
            verbose = words[1] == "verbose"
            Terminal.out("Set '\(words[1])' mode.\n")
        case "/show" where words.count == 2 && words[1] == "info":
            Terminal.out(ModelReport.text(loaded.file, metadata: false, tensors: false))
        case "/clear":
            Terminal.out("Cleared session context\n")
        default:
            Terminal.out("Unknown command '\(words.first ?? line)'. Type /? for help\n")
        }
        return true
    }
}
