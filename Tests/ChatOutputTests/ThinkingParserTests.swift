import ChatOutput
import Testing

@Suite("Thinking split")
struct ThinkingParserTests {
    /// Feeds `output` cut at `cuts` and returns the thinking and content collected.
    static func split(_ output: String, cuts: [Int], prefilled: Bool = false, open: String = "<think>", close: String = "</think>") -> (String, String) {
        var parser = ThinkingParser(openingTag: open, closingTag: close, prefilled: prefilled)
        var thinking = "", content = ""
        let chars = Array(output)
        var start = 0
        for cut in cuts + [chars.count] where cut >= start {
            let (t, c) = parser.add(String(chars[start..<cut]))
            thinking += t
            content += c
            start = cut
        }
        let (t, c) = parser.finish()
        return (thinking + t, content + c)
    }

    static let cases: [(output: String, prefilled: Bool, thinking: String, content: String)] = [
        ("<think>\nLet me add.\n</think>\n\nThe answer is 4.", false, "Let me add.\n", "The answer is 4."),
        ("  <think>a</think>b", false, "a", "b"),
        ("The answer is 4.", false, "", "The answer is 4."),
        ("<thinking is fun", false, "", "<thinking is fun"),
        ("Reasoning here.\n</think>\n\nDone.", true, "Reasoning here.\n", "Done."),
        ("<think>\n\n</think>\n\nHi", false, "", "Hi"),
        ("<think>never closed", false, "never closed", ""),
        ("<think>a </thin b</think>c", false, "a </thin b", "c"),
    ]

    @Test func everyCutPositionGivesTheSameSplit() {
        for c in Self.cases {
            let n = c.output.count
            #expect(Self.split(c.output, cuts: [], prefilled: c.prefilled) == (c.thinking, c.content), "\(c.output)")
            for cut in 0...n {
                #expect(Self.split(c.output, cuts: [cut], prefilled: c.prefilled) == (c.thinking, c.content), "\(c.output) cut at \(cut)")
            }
            #expect(Self.split(c.output, cuts: Array(0...n), prefilled: c.prefilled) == (c.thinking, c.content), "\(c.output) by character")
        }
    }

    @Test func otherFamiliesTags() {
        #expect(Self.split("<|channel|>thinking<|end|>answer", cuts: [3, 9], open: "<|channel|>", close: "<|end|>") == ("thinking", "answer"))
    }

    @Test func isThinkingUntilTheClosingTag() {
        var p = ThinkingParser(openingTag: "<think>", closingTag: "</think>", prefilled: true)
        #expect(p.isThinking)
        _ = p.add("x</th")
        #expect(p.isThinking)
        _ = p.add("ink>y")
        #expect(!p.isThinking)
    }
}
