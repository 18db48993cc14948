import Client
import OllamaAPI

/// `tern run` against the server: what the flags chose, the one-shot answer over
/// `/api/generate`, and the start of a chat over `/api/chat` (spec §3.6).
struct RemoteRun {
    var model: String
    var settings: GenerationSettings
    var verbose: Bool
    var wordWrap: Bool
    var hideThinking: Bool
    /// Whether `--think` was given; otherwise thinking follows the model's capability.
    let thinkChosen: Bool

    /// The model's details (a missing model fails here); thinking is turned on for a model that
    /// can think unless the user chose.
    mutating func prepare(with client: OllamaClient) async throws -> ShowResponse {
        let info = try await client.show(model: model)
        if !thinkChosen { settings.think = info.capabilities.contains("thinking") ? .enabled(true) : nil }
        return info
    }

    /// Streams the completion of `prompt` to stdout; statistics to stderr with --verbose.
    mutating func answer(_ prompt: String, with client: OllamaClient) async throws {
        _ = try await prepare(with: client)
        var printer = ResponsePrinter(wordWrap: wordWrap, hideThinking: hideThinking)
        var last: GenerateChunk?
        for try await chunk in Interrupt.stoppable(client.generate(model: model, prompt: prompt, settings: settings)) {
            printer.print(thinking: chunk.thinking, content: chunk.response, toolCalls: chunk.toolCalls)
            last = chunk
        }
        finish(last?.done == true ? last?.metrics : nil, printed: !prompt.isEmpty)
    }

    /// The interactive chat.
    func chat(with client: OllamaClient) async throws {
        var session = ChatSession(run: self, client: client)
        try await session.start()
    }

    /// Ends an answer as Ollama does: a blank line after it, then the statistics; an answer
    /// cut short by Ctrl-C (no `metrics`) only gets its line ended.
    func finish(_ metrics: Metrics?, printed: Bool) {
        guard let metrics else { return Terminal.out("\n") }
        if printed { Terminal.out("\n\n") }
        if verbose { Terminal.err(OllamaFormat.statistics(metrics)) }
    }
}
