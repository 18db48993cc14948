import JSON
import OllamaAPI

/// Prints a streamed answer as `ollama run` does (spec §3.6): thinking between `Thinking...` and
/// `...done thinking.` (grey on a terminal, hidden with --hidethinking), the answer word-wrapped
/// at the terminal's width when asked, and unsolicited tool calls as a notice.
struct ResponsePrinter {
    var hideThinking: Bool
    private var wrapper: WordWrapper?
    private let colored: Bool
    private var thinkingOpen = false

    private static let grey = "\u{1B}[38;5;245m", bold = "\u{1B}[1m", reset = "\u{1B}[0m"

    /// `wordWrap` takes effect only when stdout is a terminal of a usable width.
    init(wordWrap: Bool, hideThinking: Bool) {
        self.hideThinking = hideThinking
        colored = Terminal.isTerminal(.standardOutput)
        let width = Terminal.columns() ?? 0
        wrapper = wordWrap && width >= 10 ? WordWrapper(width: width) : nil
    }

    mutating func print(thinking: String, content: String, toolCalls: [ToolCall]) {
        if !thinking.isEmpty && !hideThinking {
            if !thinkingOpen {
                Terminal.out(colored ? Self.grey + Self.bold + "Thinking...\n" + Self.reset + Self.grey : "Thinking...\n")
                thinkingOpen = true
            }
            write(thinking)
        }
        if thinkingOpen && (!content.isEmpty || !toolCalls.isEmpty) {
            Terminal.out(colored ? Self.grey + Self.bold + "...done thinking.\n\n" + Self.reset : "...done thinking.\n\n")
            thinkingOpen = false
            if let width = wrapper?.width { wrapper = WordWrapper(width: width) }
        }
        write(content)
        for call in toolCalls {
            write("Model called a non-existent function '\(call.name)()' with arguments: \(JSONValue.object(call.arguments).text())\n")
        }
    }

    private mutating func write(_ text: String) {
        guard !text.isEmpty else { return }
        Terminal.out(wrapper?.wrap(text) ?? text)
    }
}
