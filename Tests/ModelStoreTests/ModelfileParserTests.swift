import JSON
import ModelStore
import Testing

@Suite("Modelfile parsing")
struct ModelfileParserTests {
    @Test func everyInstruction() throws {
        let text = """
        # A comment line
        FROM llama3.2:1b
        template \"\"\"{{ if .System }}<|start|>system
        {{ .System }}<|end|>
        {{ end }}\"\"\"
        SYSTEM You are "concise". # not a comment
        PARAMETER temperature 0.6
        PARAMETER num_ctx 8192
        PARAMETER stop <|end|>
        PARAMETER stop "<|user|>"
        PARAMETER use_mmap false
        PARAMETER seed -1
        LICENSE MIT
        LICENSE \"\"\"Line one
        line two\"\"\"
        MESSAGE user Is it "sunny"?
        MESSAGE assistant Yes.
        REQUIRES v0.14.0
        RENDERER deepseek3
        PARSER deepseek3
        """
        let m = try Modelfile(parsing: text)
        #expect(m.from == "llama3.2:1b")
        #expect(m.template == "{{ if .System }}<|start|>system\n{{ .System }}<|end|>\n{{ end }}")
        #expect(m.system == "You are \"concise\". # not a comment")
        #expect(m.parameters == [
            "temperature": .float32(0.6), "num_ctx": .int(8192), "stop": .array([.string("<|end|>"), .string("<|user|>")]),
            "use_mmap": .bool(false), "seed": .int(-1),
        ])
        #expect(m.licenses == ["MIT", "Line one\nline two"])
        #expect(m.messages == [ModelMessage(role: "user", content: "Is it \"sunny\"?"), ModelMessage(role: "assistant", content: "Yes.")])
        #expect(m.requires == "0.14.0")
        #expect(m.renderer == "deepseek3")
        #expect(m.parser == "deepseek3")
        #expect(m.warnings.isEmpty)
    }

    struct ValueCase: Sendable, CustomTestStringConvertible {
        var line: String
        var system: String
        var testDescription: String { line }
    }

    static let values: [ValueCase] = [
        .init(line: "SYSTEM plain text", system: "plain text"),
        .init(line: "SYSTEM    padded   ", system: "padded"),
        .init(line: "SYSTEM \"quoted\"", system: "quoted"),
        .init(line: "SYSTEM \" keeps inner spaces \"", system: " keeps inner spaces "),
        .init(line: "SYSTEM \"\"", system: ""),
        .init(line: "SYSTEM \"a\" b\"", system: "a\" b"),
        .init(line: "SYSTEM \"\"\"x\"\"\"", system: "x"),
        .init(line: "SYSTEM \"\"\"\"\"\"", system: ""),
        .init(line: "SYSTEM 'single quotes mean nothing'", system: "'single quotes mean nothing'"),
        .init(line: "SYSTEM back\\slash \\n stays", system: "back\\slash \\n stays"),
        .init(line: "SYSTEM tab\tkept", system: "tab\tkept"),
        .init(line: "SYSTEM bell\u{07}dropped", system: "belldropped"),
        .init(line: "SYSTEM nbsp\u{A0}and\u{200B}zwsp dropped", system: "nbspandzwsp dropped"),
        .init(line: "SYSTEM \"multi\nline\"", system: "multi\nline"),
        .init(line: "SYSTEM \"\"\"has \"inner\"\nquotes\"\"\"", system: "has \"inner\"\nquotes"),
        .init(line: "SYSTEM \"crlf\r\nkept\"", system: "crlf\r\nkept"),
        .init(line: "SYSTEM ünïcödé 🙂", system: "ünïcödé 🙂"),
        .init(line: "system lower-case keyword", system: "lower-case keyword"),
        .init(line: "SyStEm mixed case", system: "mixed case"),
    ]

    @Test(arguments: values)
    func valueRules(_ c: ValueCase) throws {
        #expect(try Modelfile(parsing: "FROM m\n" + c.line + "\n").system == c.system)
        #expect(try Modelfile(parsing: "FROM m\n" + c.line).system == c.system)
    }

    @Test func laterTemplateAndSystemWin() throws {
        let m = try Modelfile(parsing: "FROM m\nSYSTEM one\nTEMPLATE a\nSYSTEM two\nTEMPLATE b\nPARAMETER top_k 10\nPARAMETER top_k 20")
        #expect(m.system == "two")
        #expect(m.template == "b")
        #expect(m.parameters == ["top_k": .int(20)])
    }

    @Test func blankLinesCommentsAndCRLF() throws {
        let m = try Modelfile(parsing: "\r\n# comment\r\n  \t\r\n   FROM ./model.gguf\r\n\r\nSYSTEM hi\r\n#PARAMETER x y\r\n")
        #expect(m.from == "./model.gguf")
        #expect(m.system == "hi")
        #expect(m.parameters.isEmpty)
    }

    @Test func byteOrderMarks() throws {
        let utf8: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("FROM m\nSYSTEM é".utf8)
        #expect(try Modelfile(parsing: utf8).system == "é")
        let utf16: [UInt8] = [0xFF, 0xFE] + "FROM m\nSYSTEM é".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try Modelfile(parsing: utf16).system == "é")
        let utf16BE: [UInt8] = [0xFE, 0xFF] + "FROM m\nSYSTEM é".utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try Modelfile(parsing: utf16BE).system == "é")
    }

    @Test func deprecatedParametersWarnAndAreSkipped() throws {
        let m = try Modelfile(parsing: "FROM m\nPARAMETER mirostat 2\nPARAMETER tfs_z anything\nPARAMETER top_p 0.9")
        #expect(m.warnings == ["parameter mirostat is deprecated", "parameter tfs_z is deprecated"])
        #expect(m.parameters == ["top_p": .float32(0.9)])
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var text: String
        var error: ModelfileError
        var testDescription: String { error.description }
    }

    static let invalidCommand = "command must be one of \"from\", \"license\", \"template\", \"system\", \"adapter\", \"draft\", \"renderer\", \"parser\", \"parameter\", \"message\", or \"requires\""

    static let errors: [ErrorCase] = [
        .init(text: "SYSTEM hi", error: ModelfileError(line: nil, "no FROM line")),
        .init(text: "", error: ModelfileError(line: nil, "no FROM line")),
        .init(text: "FROM m\nFOO bar", error: ModelfileError(line: 2, invalidCommand)),
        .init(text: "FROM m\n\nSYSTEM\n", error: ModelfileError(line: 3, invalidCommand)),
        .init(text: "FROM m\nSYS-TEM x", error: ModelfileError(line: 2, invalidCommand)),
        .init(text: "FROM m\r\n\r\nBAD x", error: ModelfileError(line: 3, invalidCommand)),
        .init(text: "FROM m\nMESSAGE bot hello", error: ModelfileError(line: 2, "message role must be one of \"system\", \"user\", or \"assistant\"")),
        .init(text: "FROM m\nMESSAGE User hello", error: ModelfileError(line: 2, "message role must be one of \"system\", \"user\", or \"assistant\"")),
        .init(text: "FROM m\nMESSAGE user\n", error: ModelfileError(line: 2, "unexpected EOF: user")),
        .init(text: "FROM m\nPARAMETER temp-x 1", error: ModelfileError(line: 2, "unexpected EOF: temp")),
        .init(text: "FROM m\nPARAMETER stop", error: ModelfileError(line: 2, "unexpected EOF")),
        .init(text: "FROM m\nSYSTEM \"\"\"open\nnever closed\n", error: ModelfileError(line: 2, "unexpected EOF")),
        .init(text: "FROM m\nSYSTEM \"open", error: ModelfileError(line: 2, "unexpected EOF")),
        .init(text: "FROM", error: ModelfileError(line: 1, "unexpected EOF")),
        .init(text: "FROM m\nPARAMETER foo 1", error: ModelfileError(line: 2, "unknown parameter 'foo'")),
        .init(text: "FROM m\nPARAMETER Temperature 1", error: ModelfileError(line: 2, "unknown parameter 'Temperature'")),
        .init(text: "FROM m\n\nPARAMETER temperature hot", error: ModelfileError(line: 3, "invalid float value [hot]")),
        .init(text: "FROM m\nPARAMETER temperature inf", error: ModelfileError(line: 2, "invalid float value [inf]")),
        .init(text: "FROM m\nPARAMETER temperature 1e39", error: ModelfileError(line: 2, "invalid float value [1e39]")),
        .init(text: "FROM m\nPARAMETER num_ctx 4k", error: ModelfileError(line: 2, "invalid int value [4k]")),
        .init(text: "FROM m\nPARAMETER num_ctx 8192.0", error: ModelfileError(line: 2, "invalid int value [8192.0]")),
        .init(text: "FROM m\nPARAMETER seed 99999999999999999999", error: ModelfileError(line: 2, "invalid int value [99999999999999999999]")),
        .init(text: "FROM m\nPARAMETER use_mmap yes", error: ModelfileError(line: 2, "invalid bool value [yes]")),
        .init(text: "FROM m\nADAPTER ./lora.gguf", error: ModelfileError(line: 2, "ADAPTER is not supported: Tern cannot apply LoRA adapters")),
        .init(text: "FROM m\nDRAFT ./small.gguf", error: ModelfileError(line: 2, "DRAFT is not supported: Tern has no speculative decoding")),
        .init(text: "FROM m\nFROM ./mmproj.gguf", error: ModelfileError(line: 2, "only one FROM is supported: Tern has no projector (vision) models")),
        .init(text: "FROM m\nREQUIRES latest", error: ModelfileError(line: 2, "requires must be a valid semver (e.g. 0.14.0)")),
        .init(text: "FROM m\nREQUIRES 0.14-rc1", error: ModelfileError(line: 2, "requires must be a valid semver (e.g. 0.14.0)")),
        .init(text: "FROM m\nREQUIRES 01.2.3", error: ModelfileError(line: 2, "requires must be a valid semver (e.g. 0.14.0)")),
        .init(text: "FROM m\nTEMPLATE \"\"\"a\nb\"\"\"\nBAD x", error: ModelfileError(line: 4, invalidCommand)),
    ]

    @Test(arguments: errors)
    func errorsNameTheLine(_ c: ErrorCase) {
        #expect(throws: c.error) { try Modelfile(parsing: c.text) }
    }

    @Test func errorDescriptionIsOllamas() {
        #expect(ModelfileError(line: 3, "unknown parameter 'foo'").description == "(line 3): unknown parameter 'foo'")
        #expect(ModelfileError(line: nil, "no FROM line").description == "no FROM line")
    }

    @Test(arguments: [("0.14", "0.14"), ("1", "1"), ("v1.2.3-rc.1+build.5", "1.2.3-rc.1+build.5"), ("0.0.0", "0.0.0")])
    func validRequires(text: String, stored: String) throws {
        #expect(try Modelfile(parsing: "FROM m\nREQUIRES \(text)").requires == stored)
    }

    @Test(arguments: [("1", JSONValue.float32(1)), ("-0.5", .float32(-0.5)), (".5", .float32(0.5)), ("5.", .float32(5)),
                      ("1e-3", .float32(0.001)), ("+2.5E+1", .float32(25)), ("0x1.8p1", .float32(3))])
    func floatSyntax(text: String, value: JSONValue) throws {
        #expect(try Modelfile(parsing: "FROM m\nPARAMETER top_p \(text)").parameters["top_p"] == value)
    }

    @Test(arguments: ["1", "t", "T", "TRUE", "true", "True"])
    func trueSpellings(_ text: String) throws {
        #expect(try Modelfile(parsing: "FROM m\nPARAMETER use_mmap \(text)").parameters["use_mmap"] == .bool(true))
    }

    @Test func recipeTakesTheModelfile() throws {
        let m = try Modelfile(parsing: "FROM base\nSYSTEM s\nPARAMETER stop x\nLICENSE l\nMESSAGE system m")
        let recipe = ModelRecipe(m, base: .model(try ModelName(parsing: "base")))
        #expect(recipe.system == "s")
        #expect(recipe.parameters == ["stop": .array([.string("x")])])
        #expect(recipe.licenses == ["l"])
        #expect(recipe.messages == [ModelMessage(role: "system", content: "m")])
    }
}
