import Foundation
import JSON

/// `Fixtures/`: the chat templates, the conversation corpus, and what Python jinja2 rendered for
/// each template × conversation × `add_generation_prompt` (scripts/gen-jinja-expected.py).
struct CorpusFixture {
    struct Case {
        var template: String
        var conversation: String
        var addGenerationPrompt: Bool
        /// The rendered prompt, or nil when jinja2 failed.
        var output: String?
        var error: String?
        /// Whether the failure was the template's own `raise_exception`.
        var raised: Bool
    }

    var templates: [String: String] = [:]
    /// Each conversation's context, completed as HF and the script complete it.
    var contexts: [String: [Bool: JSONObject]] = [:]
    var cases: [Case] = []
    var now: Date

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func json(_ name: String) throws -> JSONObject {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONParser.parse(Array(data)).objectValue!
    }

    init() throws {
        let templateDirectory = Self.directory.appendingPathComponent("templates")
        for file in try FileManager.default.contentsOfDirectory(atPath: templateDirectory.path) where file.hasSuffix(".jinja") {
            templates[String(file.dropLast(6))] = try String(contentsOf: templateDirectory.appendingPathComponent(file), encoding: .utf8)
        }
        let corpus = try Self.json("conversations.json")
        now = Date(timeIntervalSince1970: corpus["now"]!.doubleValue!)
        for conversation in corpus["conversations"]!.arrayValue! {
            let object = conversation.objectValue!
            for addGenerationPrompt in [false, true] {
                var context: JSONObject = ["tools": .null, "documents": .null]
                for (key, value) in object["context"]!.objectValue! { context[key] = value }
                context["add_generation_prompt"] = .bool(addGenerationPrompt)
                context["bos_token"] = corpus["bos_token"]
                context["eos_token"] = corpus["eos_token"]
                contexts[object["name"]!.stringValue!, default: [:]][addGenerationPrompt] = context
            }
        }
        for value in try Self.json("expected.json")["cases"]!.arrayValue! {
            let c = value.objectValue!
            cases.append(Case(template: c["template"]!.stringValue!, conversation: c["conversation"]!.stringValue!,
                              addGenerationPrompt: c["add_generation_prompt"]!.boolValue!,
                              output: c["output"]?.stringValue, error: c["error"]?.stringValue,
                              raised: c["raised"]?.boolValue ?? false))
        }
    }
}
