import Client
import JSON
import ModelStore
import OllamaAPI

/// The interactive chat of `tern run MODEL` (spec §3.7): messages typed at `>>> ` go to
/// `/api/chat` with the whole conversation; slash commands change the session.
struct ChatSession {
    var run: RemoteRun
    let client: OllamaClient
    /// The conversation so far, system message included.
    private var messages: [Message] = []
    /// The session's own system message (`/set system`), shown by `/show system`.
    private var system: String?
    private var info: ShowResponse?

    init(run: RemoteRun, client: OllamaClient) {
        self.run = run
        self.client = client
    }

    mutating func start() async throws {
        info = try await run.prepare(with: client)
        try await load()
        replay(info?.messages ?? [])
        while let line = MessageReader.next() {
            if line.hasPrefix("/") {
                guard try await command(line) else { return }
            } else if !line.isEmpty {
                messages.append(Message(role: "user", content: line))
                if let reply = try await answer() { messages.append(reply) }
            }
        }
    }

    /// Loads the model before the first prompt, so load errors show at once.
    private func load() async throws {
        for try await _ in client.chat(model: run.model, messages: [], settings: run.settings) {}
    }

    /// The Modelfile's MESSAGEs, shown as if typed and answered.
    private func replay(_ replayed: [Message]) {
        for message in replayed {
            if message.role == "user" { Terminal.out(">>> \(message.content)\n") }
            if message.role == "assistant" {
                var printer = ResponsePrinter(wordWrap: run.wordWrap, hideThinking: true)
                printer.print(thinking: "", content: message.content, toolCalls: [])
                Terminal.out("\n\n")
            }
        }
    }

    /// Streams the assistant's answer; nil when Ctrl-C cut it short (it is not kept).
    private func answer() async throws -> Message? {
        var printer = ResponsePrinter(wordWrap: run.wordWrap, hideThinking: run.hideThinking)
        var reply = Message(role: "assistant", content: "")
        var last: ChatChunk?
        for try await chunk in Interrupt.stoppable(client.chat(model: run.model, messages: messages, settings: run.settings)) {
            printer.print(thinking: chunk.message.thinking, content: chunk.message.content, toolCalls: chunk.message.toolCalls)
            reply.content += chunk.message.content
            reply.thinking += chunk.message.thinking
            reply.toolCalls += chunk.message.toolCalls
            last = chunk
        }
        run.finish(last?.done == true ? last?.metrics : nil, printed: true)
        return last?.done == true ? reply : nil
    }

    /// Handles a slash command; false means leave.
    private mutating func command(_ line: String) async throws -> Bool {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch words[0] {
        case "/bye", "/exit":
            return false
        case "/?", "/help":
            Terminal.out(words.count > 1 && words[1] == "set" ? ChatHelp.set : words.count > 1 && words[1] == "show" ? ChatHelp.show : ChatHelp.commands)
        case "/set" where words.count > 1:
            set(words, line: line)
        case "/set":
            Terminal.out(ChatHelp.set)
        case "/show" where words.count > 1:
            try await show(words[1])
        case "/show":
            Terminal.out(ChatHelp.show)
        case "/clear":
            messages = system.map { [Message(role: "system", content: $0)] } ?? []
            Terminal.out("Cleared session context\n")
        case "/load" where words.count == 2:
            try await switchModel(to: words[1])
        case "/load":
            Terminal.out("Usage:\n  /load <modelname>\n")
        default:
            Terminal.out("Unknown command '\(words[0])'. Type /? for help\n")
        }
        return true
    }

    private mutating func set(_ words: [String], line: String) {
        switch words[1] {
        case "parameter" where words.count >= 4:
            setParameter(words[2], Array(words[3...]))
        case "parameter":
            Terminal.out(ChatHelp.parameters)
        case "system" where words.count >= 3:
            let text = String(line.dropFirst("/set system ".count))
            system = text
            let message = Message(role: "system", content: text)
            if messages.last?.role == "system" { messages[messages.count - 1] = message } else { messages.append(message) }
            Terminal.out("Set system message.\n")
        case "verbose", "quiet":
            run.verbose = words[1] == "verbose"
            Terminal.out("Set '\(words[1])' mode.\n")
        case "wordwrap", "nowordwrap":
            run.wordWrap = words[1] == "wordwrap"
            Terminal.out("Set '\(words[1])' mode.\n")
        case "format" where words.count == 3 && words[2] == "json":
            run.settings.format = "json"
            Terminal.out("Set format to 'json' mode.\n")
        case "noformat":
            run.settings.format = nil
            Terminal.out("Disabled format.\n")
        case "think" where words.count <= 3:
            if words.count == 3 && !ThinkValue.levels.contains(words[2]) {
                return Terminal.out("Invalid think level '\(words[2])': expected low, medium, high or max\n")
            }
            run.settings.think = words.count == 3 ? .level(words[2]) : .enabled(true)
            warnIfCannotThink()
            Terminal.out(words.count == 3 ? "Set 'think' mode to '\(words[2])'.\n" : "Set 'think' mode.\n")
        case "nothink":
            run.settings.think = .enabled(false)
            warnIfCannotThink()
            Terminal.out("Set 'nothink' mode.\n")
        default:
            Terminal.out("Unknown command '/set \(words[1])'. Type /? for help\n")
        }
    }

    /// Types the value as a Modelfile PARAMETER (`stop` takes every value given).
    private mutating func setParameter(_ name: String, _ values: [String]) {
        var typed: [JSONValue] = []
        for text in name == "stop" ? values : [values[0]] {
            switch ParameterTable.value(of: name, text: text) {
            case .failure(let error): return Terminal.out("Couldn't set parameter: \"\(error.message)\"\n\n")
            case .success(.array(let items)): typed += items
            case .success(let value): typed.append(value)
            }
        }
        run.settings.options[name] = name == "stop" ? .array(typed) : typed[0]
        Terminal.out("Set parameter '\(name)' to '\(values.joined(separator: ", "))'\n\n")
    }

    private func warnIfCannotThink() {
        if let info, !info.capabilities.contains("thinking") {
            Terminal.out("warning: model \"\(run.model)\" does not support thinking output\n")
        }
    }

    private func show(_ what: String) async throws {
        let shown = try await client.show(model: run.model, system: system, options: run.settings.options)
        switch what {
        case "info": Terminal.out(ModelInfoView.render(shown, verbose: false))
        case "license": Terminal.out(shown.license.isEmpty ? "No license was specified for this model.\n" : shown.license + "\n")
        case "modelfile": Terminal.out(shown.modelfile + "\n")
        case "parameters":
            var out = "Model defined parameters:\n"
            out += shown.parameters.isEmpty
                ? "  No additional parameters were specified for this model.\n"
                : shown.parameters.split(separator: "\n").map { "  \($0)\n" }.joined()
            out += "\n"
            if !run.settings.options.isEmpty {
                out += "User defined parameters:\n"
                for (name, value) in run.settings.options {
                    out += "  " + name + String(repeating: " ", count: max(0, 30 - name.count)) + " " + Self.goText(value) + "\n"
                }
                out += "\n"
            }
            Terminal.out(out)
        case "system":
            if let system { Terminal.out(system + "\n\n") } else if !shown.system.isEmpty { Terminal.out(shown.system + "\n\n") } else {
                Terminal.out("No system message was specified for this model.\n")
            }
        case "template":
            Terminal.out(shown.template.isEmpty ? "No prompt template was specified for this model.\n" : shown.template + "\n")
        default:
            Terminal.out("Unknown command '/show \(what)'. Type /? for help\n")
        }
    }

    /// A parameter value as Go's `%v` prints it: `0.7`, `3`, `[a b]`.
    static func goText(_ value: JSONValue) -> String {
        switch value {
        case .int(let i): String(i)
        case .float32(let f): GoFloatFormat(f).general
        case .double(let d): GoFloatFormat(d).general
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .array(let items): "[" + items.map(goText).joined(separator: " ") + "]"
        case .null, .object: value.text()
        }
    }

    /// `/load MODEL`: a different model and a fresh conversation; the session stays as it was
    /// when the model cannot be found.
    private mutating func switchModel(to model: String) async throws {
        Terminal.out("Loading model '\(model)'\n")
        var next = run
        next.model = model
        do {
            let shown = try await next.prepare(with: client)
            for try await _ in client.chat(model: model, messages: [], settings: next.settings) {}
            info = shown
        } catch let error as ClientError where error.description.contains("not found") {
            return Terminal.out("Couldn't find model '\(model)'\n")
        }
        run = next
        messages = []
    }
}
