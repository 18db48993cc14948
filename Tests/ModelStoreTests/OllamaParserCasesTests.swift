import JSON
@testable import ModelStore
import Testing

/// Cases from Ollama's parser tests (parser/parser_test.go at v0.33.0-rc2), checked against the
/// lexer in Ollama's own `Command` form: FROM is "model", a PARAMETER is its name, a MESSAGE
/// is "role: content".
@Suite("Ollama's Modelfile parser cases")
struct OllamaParserCasesTests {
    struct Command: Equatable, CustomStringConvertible {
        var name: String
        var args: String
        init(_ name: String, _ args: String) {
            self.name = name
            self.args = args
        }
        var description: String { "\(name)=\(args.debugDescription)" }
    }

    static func commands(_ text: String) throws -> [Command] {
        try ModelfileLexer.instructions(in: text).map { i in
            switch i.keyword {
            case .from: Command("model", i.argument)
            case .parameter: Command(i.name, i.argument)
            case .message: Command("message", "\(i.name): \(i.argument)")
            default: Command(i.keyword.rawValue, i.argument)
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var input: String
        var expected: [Command]
        var testDescription: String { input.debugDescription }
    }

    static let parsed: [Case] = [
        // TestParseFileTrimSpace
        .init(input: """

        FROM "     model 1"
        ADAPTER      adapter3
        LICENSE "MIT       "
        PARAMETER param1        value1
        PARAMETER param2    value2
        TEMPLATE \"\"\"   {{ if .System }}<|start_header_id|>system<|end_header_id|>

        {{ .System }}<|eot_id|>{{ end }}   \"\"\"    \n
        """, expected: [
            Command("model", "     model 1"), Command("adapter", "adapter3"), Command("license", "MIT       "),
            Command("param1", "value1"), Command("param2", "value2"),
            Command("template", "   {{ if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}   "),
        ]),
        // TestParseFileFrom
        .init(input: "FROM \"FOO  BAR  \"", expected: [Command("model", "FOO  BAR  ")]),
        .init(input: "FROM \"FOO BAR\"\nPARAMETER param1 value1", expected: [Command("model", "FOO BAR"), Command("param1", "value1")]),
        .init(input: "FROM     FOOO BAR    ", expected: [Command("model", "FOOO BAR")]),
        .init(input: "FROM /what/is/the path ", expected: [Command("model", "/what/is/the path")]),
        .init(input: "FROM llama3:7b-instruct-q4_K_M", expected: [Command("model", "llama3:7b-instruct-q4_K_M")]),
        .init(input: "PARAMETER param1 value1\nFROM foo", expected: [Command("param1", "value1"), Command("model", "foo")]),
        .init(input: "PARAMETER what the \nFROM lemons make lemonade ", expected: [Command("what", "the"), Command("model", "lemons make lemonade")]),
        // TestParseFileRenderer / TestParseFileParser
        .init(input: "\nFROM foo\nRENDERER renderer1\nPARSER parser1\n",
              expected: [Command("model", "foo"), Command("renderer", "renderer1"), Command("parser", "parser1")]),
        // TestParseFileMessages
        .init(input: "\nFROM foo\nMESSAGE system You are a file parser. Always parse things.",
              expected: [Command("model", "foo"), Command("message", "system: You are a file parser. Always parse things.")]),
        .init(input: "\nFROM foo\nMESSAGE system You are a file parser.\nMESSAGE user Hey there!\nMESSAGE assistant Hello!\n",
              expected: [Command("model", "foo"), Command("message", "system: You are a file parser."),
                         Command("message", "user: Hey there!"), Command("message", "assistant: Hello!")]),
        .init(input: "\nFROM foo\nMESSAGE system \"\"\"\nYou are a multiline file parser. Always parse things.\n\"\"\"\n\t\t\t",
              expected: [Command("model", "foo"), Command("message", "system: \nYou are a multiline file parser. Always parse things.\n")]),
        // TestParseFileQuoted
        .init(input: "\nFROM foo\nSYSTEM \"\"\"\nThis is a\nmultiline system.\n\"\"\"\n\t\t\t",
              expected: [Command("model", "foo"), Command("system", "\nThis is a\nmultiline system.\n")]),
        .init(input: "\nFROM foo\nSYSTEM \"\"\"\nThis is a\nmultiline system.\"\"\"\n\t\t\t",
              expected: [Command("model", "foo"), Command("system", "\nThis is a\nmultiline system.")]),
        .init(input: "\nFROM foo\nSYSTEM \"\"\"This is a multiline system.\"\"\"\n\t\t\t",
              expected: [Command("model", "foo"), Command("system", "This is a multiline system.")]),
        .init(input: "\nFROM foo\nSYSTEM \"\"\"\nThis is a multiline system with \"quotes\".\n\"\"\"\n",
              expected: [Command("model", "foo"), Command("system", "\nThis is a multiline system with \"quotes\".\n")]),
        .init(input: "\nFROM foo\nSYSTEM \"\"\"\"\"\"\n", expected: [Command("model", "foo"), Command("system", "")]),
        .init(input: "\nFROM foo\nSYSTEM \"\"\n", expected: [Command("model", "foo"), Command("system", "")]),
        .init(input: "\nFROM foo\nSYSTEM \"'\"\n", expected: [Command("model", "foo"), Command("system", "'")]),
        .init(input: "\nFROM foo\nSYSTEM \"\"\"''\"'\"\"'\"\"'\"'''''\"\"'\"\"'\"\"\"\n",
              expected: [Command("model", "foo"), Command("system", "''\"'\"\"'\"\"'\"'''''\"\"'\"\"'")]),
        .init(input: "\nFROM foo\nTEMPLATE \"\"\"\n{{ .Prompt }}\n\"\"\"", expected: [Command("model", "foo"), Command("template", "\n{{ .Prompt }}\n")]),
        // TestParseFileParameters (stop quoting)
        .init(input: "FROM foo\nPARAMETER stop ### User: \n", expected: [Command("model", "foo"), Command("stop", "### User:")]),
        .init(input: "FROM foo\nPARAMETER stop \"### User: \"\n", expected: [Command("model", "foo"), Command("stop", "### User: ")]),
        .init(input: "FROM foo\nPARAMETER stop \"\"\"### User:\n\"\"\"\n", expected: [Command("model", "foo"), Command("stop", "### User:\n")]),
        .init(input: "FROM foo\nPARAMETER stop </s>\n", expected: [Command("model", "foo"), Command("stop", "</s>")]),
        // TestParseFileComments, TestParseMultiByte
        .init(input: "\n# comment\nFROM foo\n\t", expected: [Command("model", "foo")]),
        .init(input: "FROM test\n\tSYSTEM 你好👋", expected: [Command("model", "test"), Command("system", "你好👋")]),
    ]

    @Test(arguments: parsed)
    func sameCommandsAsOllama(_ c: Case) throws {
        #expect(try Self.commands(c.input) == c.expected)
    }

    @Test(arguments: [
        "\nFROM foo\nPARAMETER param1\n",
        "\nFROM foo\nMESSAGE system\n",
        "\nFROM foo\nMESSAGE system",
        "\nFROM foo\nSYSTEM \"\"\"This is a multiline system.\"\"\n\t\t\t",
        "\nFROM foo\nSYSTEM \"\n\t\t\t",
    ])
    func unexpectedEOFAsOllama(_ input: String) {
        #expect {
            try ModelfileLexer.instructions(in: input)
        } throws: { ($0 as? ModelfileError)?.message.hasPrefix("unexpected EOF") == true }
    }

    @Test func badCommandAndRoleLinesAsOllama() {
        #expect(throws: ModelfileError(line: 3, "command must be one of \"from\", \"license\", \"template\", \"system\", \"adapter\", \"draft\", \"renderer\", \"parser\", \"parameter\", \"message\", or \"requires\"")) {
            try ModelfileLexer.instructions(in: "\nFROM foo\nBADCOMMAND param1 value1\n")
        }
        #expect(throws: ModelfileError(line: 3, "message role must be one of \"system\", \"user\", or \"assistant\"")) {
            try ModelfileLexer.instructions(in: "\nFROM foo\nMESSAGE badguy I'm a bad guy!\n")
        }
    }

    /// TestParseFileFormatParseFile: rendering the commands with Ollama's quoting and parsing
    /// again gives the same commands.
    @Test func quotedCommandsReparse() throws {
        let text = "\nFROM foo\nLICENSE \"\"\"\nVery long and boring legal text.\nBlah blah blah.\n\"Oh look, a quote!\"\n\"\"\"\n\nPARAMETER param1 value1\nTEMPLATE template1\nMESSAGE system \"\"\"\nYou are a store greeter. Always respond with \"Hello!\".\n\"\"\"\nMESSAGE user Hey there!\nSYSTEM \"\"\n"
        let first = try Self.commands(text)
        let rendered = first.map { c -> String in
            switch c.name {
            case "model": "FROM \(c.args)"
            case "license", "template", "system": "\(c.name.uppercased()) \(ModelfileRenderer.quote(c.args))"
            case "message":
                "MESSAGE \(c.args.prefix { $0 != ":" }) \(ModelfileRenderer.quote(String(c.args.drop { $0 != ":" }.dropFirst(2))))"
            default: "PARAMETER \(c.name) \(ModelfileRenderer.quote(c.args))"
            }
        }.joined(separator: "\n")
        #expect(try Self.commands(rendered) == first)
    }
}
