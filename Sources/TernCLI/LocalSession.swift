import Engine
import OllamaAPI
import Sampling

/// One `tern run` session on a GGUF file, without a server: the loaded model, the options the
/// user has set, and the REPL.
struct LocalSession {
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
            Terminal.err(OllamaFormat.statistics(Metrics(stats, loadDuration: load)))
        }
    }

    mutating func repl() {
        while let message = MessageReader.next() {
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
