import JSON
import Testing
@testable import GoTemplate

/// Library templates rendered over conversations; the expected prompts come from Go's
/// text/template driven the way Ollama's `template.Execute` drives it.
struct PromptFixtureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var template: String
        var input: PromptInput
        var expected: Fixtures.Expected
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let expected = Fixtures.json("prompt-expected.json").objectValue!
        return Fixtures.json("prompt-cases.json").arrayValue!.map { json in
            let object = json.objectValue!
            let name = object["name"]!.stringValue!
            return Case(name: name, template: object["template"]!.stringValue!, input: input(object), expected: Fixtures.Expected(expected[name]!))
        }
    }()

    /// The case's request, read as the server would hand it over.
    static func input(_ object: JSONObject) -> PromptInput {
        let messages = (object["messages"]?.arrayValue ?? []).map { json in
            let m = json.objectValue!
            let calls = (m["tool_calls"]?.arrayValue ?? []).map { call in
                let function = call.objectValue!["function"]!.objectValue!
                return PromptMessage.ToolCall(id: call.objectValue!["id"]?.stringValue ?? "", index: function["index"]?.intValue ?? 0,
                                              name: function["name"]!.stringValue!, arguments: function["arguments"]?.objectValue ?? JSONObject())
            }
            return PromptMessage(role: m["role"]!.stringValue!, content: m["content"]?.stringValue ?? "", thinking: m["thinking"]?.stringValue ?? "",
                                 imageCount: m["images"]?.intValue ?? 0, toolCalls: calls, toolName: m["tool_name"]?.stringValue ?? "")
        }
        let think: ThinkSetting? = switch object["think"] {
        case .bool(let b)?: .enabled(b)
        case .string(let level)?: .level(level)
        default: nil
        }
        return PromptInput(system: object["system"]?.stringValue, messages: messages, tools: object["tools"]?.arrayValue,
                           think: think, prompt: object["prompt"]?.stringValue, suffix: object["suffix"]?.stringValue)
    }

    @Test(arguments: cases)
    func matchesGo(_ c: Case) {
        let result: Fixtures.Expected
        do {
            let template = try PromptTemplate(Fixtures.text("templates/\(c.template).gotmpl"))
            result = .output(try template.render(c.input))
        } catch {
            result = .error(error.description)
        }
        #expect(result == c.expected)
    }

    @Test func everyCaseHasAnExpectation() {
        #expect(Self.cases.count == 157)
    }
}
