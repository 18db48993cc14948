import JSON
import Testing
@testable import GoTemplate

/// What the server learns from a template's tree (tool-call tag §1.9, thinking tags §7.2,
/// capabilities §1.10), each expectation derived by reading the template against Ollama's walks.
struct TemplateAnalysisTests {
    static func library(_ name: String) throws -> PromptTemplate {
        try PromptTemplate(Fixtures.text("templates/\(name).gotmpl"))
    }

    @Test func chatmlHasNoToolsOrThinking() throws {
        let t = try Self.library("chatml")
        #expect(t.usesMessages)
        #expect(t.toolCallTag == "{")
        #expect(!t.supportsThinking)
        #expect(t.capabilities == [])
    }

    @Test func qwen3ToolsAndThinking() throws {
        let t = try Self.library("qwen3")
        #expect(t.toolCallTag == "<tool_call>")
        #expect(t.thinkingOpenTag == "<think>")
        #expect(t.thinkingCloseTag == "</think>")
        #expect(t.capabilities == ["tools", "thinking"])
    }

    /// The text before the JSON is cut at its first "{".
    @Test func mistralToolTagStopsAtBrace() throws {
        #expect(try Self.library("mistral-tools").toolCallTag == "[TOOL_CALLS] [")
    }

    /// The `{{ if .ToolCalls }}` sits in the else branch of `{{ if .Content }}`; its first text is kept whole.
    @Test func commandRToolTagFromElseIf() throws {
        let t = try Self.library("command-r")
        #expect(t.toolCallTag == "Action: ```json\n[")
        #expect(t.capabilities == ["tools"])
    }

    /// llama3.1's first text inside the block is a newline, then the range's text starts with "{".
    @Test func llama31ToolTagDefaultsToBrace() throws {
        #expect(try Self.library("llama3.1").toolCallTag == "{")
    }

    /// The `.Thinking` in the `if` condition is seen first (its list starts with `<｜Assistant｜>`),
    /// then the one in the body overwrites both tags.
    @Test func deepSeekThinkingTags() throws {
        let t = try Self.library("deepseek-r1")
        #expect(t.thinkingOpenTag == "<think>")
        #expect(t.thinkingCloseTag == "</think>")
        #expect(t.capabilities == ["thinking"])
    }

    @Test func specExampleThinks() throws {
        #expect(try Self.library("spec-chatml").capabilities == ["thinking"])
    }

    /// A `$m.Thinking` variable reference is not recognised, nor a range over `$.Messages`.
    @Test func thinkingNeedsFieldsInsideRangeOverMessagesField() throws {
        #expect(!(try PromptTemplate("{{ range $m := .Messages }}<t>{{ $m.Thinking }}</t>{{ end }}").supportsThinking))
        #expect(!(try PromptTemplate("{{ range $.Messages }}<t>{{ .Thinking }}</t>{{ end }}").supportsThinking))
        #expect(try PromptTemplate("{{ range .Messages }}<t>{{ .Thinking }}</t>{{ end }}").supportsThinking)
    }

    @Test func suffixMeansInsert() throws {
        let t = try PromptTemplate("<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>")
        #expect(t.usesSuffix)
        #expect(t.capabilities == ["insert"])
        let out = try t.render(PromptInput(prompt: "def f(", suffix: "return 1"))
        #expect(out == "<PRE> def f( <SUF>return 1 <MID>")
    }

    /// Neither `.Messages` nor `.Response`: `{{ .Response }}` is appended, so legacy turns
    /// concatenate prompt and answer, and the last turn ends where the answer would go.
    @Test func legacyTemplateGetsResponseAppended() throws {
        let t = try PromptTemplate("[{{ .Prompt }}]")
        #expect(!t.usesMessages)
        let out = try t.render(PromptInput(messages: [
            PromptMessage(role: "user", content: "a"), PromptMessage(role: "assistant", content: "b"),
            PromptMessage(role: "user", content: "c"),
        ]))
        #expect(out == "[a]b[c]")
    }

    /// Only a `.Response` field cuts; everything after it in the last turn is gone.
    @Test func legacyCutAtResponse() throws {
        let t = try PromptTemplate("U:{{ .Prompt }} A:{{ .Response }}<end>\n")
        let out = try t.render(PromptInput(messages: [
            PromptMessage(role: "user", content: "hi"), PromptMessage(role: "assistant", content: "yo"),
            PromptMessage(role: "user", content: "again"),
        ]))
        #expect(out == "U:hi A:yo<end>\nU:again A:")
    }

    @Test func unparsableTemplateIsRejectedAtCreation() {
        #expect(throws: TemplateError(phase: .parse, line: 2, message: "unclosed action")) {
            try PromptTemplate("ok\n{{ .Messages ")
        }
        #expect(throws: TemplateError(phase: .parse, line: 1, message: "function \"nope\" not defined")) {
            try PromptTemplate("{{ nope }}")
        }
        #expect(throws: TemplateError(phase: .analysis, line: 0, message: "undefined template specified")) {
            try PromptTemplate("{{ define \"x\" }}x{{ end }}{{ template \"x\" }}")
        }
    }

    @Test func executionErrorNamesLineAndColumn() throws {
        let t = try PromptTemplate("{{ range .Messages }}\n  {{ .Nope }}{{ end }}")
        #expect(throws: TemplateError(phase: .execute(template: "", context: ".Nope", column: 5), line: 2,
                                      message: "can't evaluate field Nope in type *template.templateMessage")) {
            try t.render(PromptInput(messages: [PromptMessage(role: "user", content: "x")]))
        }
    }

    @Test func datesAreLocalCalendarDays() throws {
        let out = try Template("{{ currentDate }} {{ yesterdayDate }}").execute(.nil)
        let parts = out.split(separator: " ")
        #expect(parts.count == 2)
        for part in parts {
            let fields = part.split(separator: "-")
            #expect(fields.map(\.count) == [4, 2, 2])
            #expect(fields.allSatisfy { $0.allSatisfy(\.isNumber) })
        }
        #expect(parts[1] < parts[0])
    }

    @Test func thinkLevelDefaultsToMediumForTrue() throws {
        let t = try PromptTemplate("{{ .Messages }}{{ .Think }} {{ .ThinkLevel }} {{ .IsThinkSet }}")
        #expect(try t.render(PromptInput(think: .enabled(true))) == "[]true medium true")
        #expect(try t.render(PromptInput(think: .level("low"))) == "[]true low true")
        #expect(try t.render(PromptInput()) == "[]false  false")
    }
}
