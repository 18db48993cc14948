import JSON

/// A Modelfile TEMPLATE as Ollama uses it (`template.Parse` / `Template.Execute`): parsed once,
/// with what the server needs to know about it derived from its tree, and rendered in messages
/// mode (the template references `.Messages`) or legacy mode (once per system/user/assistant turn).
public struct PromptTemplate: Sendable {
    public let template: Template
    /// The lowercased field and variable names the template mentions.
    public let identifiers: Set<String>
    /// Literal text before tool-call JSON in the model's output (§1.9), "{" when none is known.
    public let toolCallTag: String
    /// The tags around `.Thinking` inside the range over `.Messages` (§7.2); "" when not found.
    public let thinkingOpenTag: String
    public let thinkingCloseTag: String
    /// The tree executed: the template's own, with `{{ .Response }}` appended when it mentions
    /// neither `.Messages` nor `.Response`.
    private let root: [Node]

    public init(_ text: String) throws(TemplateError) {
        template = try Template(text)
        identifiers = try TreeAnalysis.identifiers(template.parsed)
        var root = template.parsed.root
        if !identifiers.contains("messages") && !identifiers.contains("response") {
            let position = text.utf8.count
            root.append(.action(Pipeline(position: position, isAssign: false, declarations: [],
                                         commands: [Command(position: position, arguments: [.field(["Response"], position: position)])])))
        }
        self.root = root
        toolCallTag = TreeAnalysis.toolCallTag(root)
        (thinkingOpenTag, thinkingCloseTag) = TreeAnalysis.thinkingTags(root)
    }

    public var usesMessages: Bool { identifiers.contains("messages") }
    public var usesTools: Bool { identifiers.contains("tools") }
    public var usesSuffix: Bool { identifiers.contains("suffix") }
    public var supportsThinking: Bool { !thinkingOpenTag.isEmpty && !thinkingCloseTag.isEmpty }

    /// The template-derived capabilities (§1.10), in Ollama's order.
    public var capabilities: [String] {
        (usesTools ? ["tools"] : []) + (usesSuffix ? ["insert"] : []) + (supportsThinking ? ["thinking"] : [])
    }

    public func render(_ input: PromptInput) throws(TemplateError) -> String {
        var messages = input.messages
        if let system = input.system, !system.isEmpty {
            messages.insert(PromptMessage(role: "system", content: system), at: 0)
        }
        let (system, collated) = Self.collate(messages)
        var thinking: [String: TemplateValue] = [
            "Think": .bool(input.think?.think ?? false),
            "ThinkLevel": .string(input.think?.level ?? ""),
            "IsThinkSet": .bool(input.think != nil),
        ]
        if let prompt = input.prompt, let suffix = input.suffix, !prompt.isEmpty, !suffix.isEmpty {
            thinking.merge(["Prompt": .string(prompt), "Suffix": .string(suffix), "Response": .string("")]) { _, new in new }
            return try template.execute(root, Self.data(thinking))
        }
        if usesMessages {
            thinking.merge([
                "System": .string(system),
                "Messages": .list(TemplateList(collated.map(Self.message), isNil: collated.isEmpty)),
                "Tools": ToolModel.tools(input.tools),
                "Response": .string(""),
            ]) { _, new in new }
            return try template.execute(root, Self.data(thinking))
        }
        return try renderLegacy(collated, thinking: thinking)
    }

    /// One execution per (system, user, assistant) turn; the last one cut after `.Response`.
    private func renderLegacy(_ messages: [PromptMessage], thinking: [String: TemplateValue]) throws(TemplateError) -> String {
        var out = ""
        var system = "", prompt = "", response = ""
        func data() -> TemplateValue {
            Self.data(thinking.merging(["System": .string(system), "Prompt": .string(prompt), "Response": .string(response)]) { _, new in new })
        }
        func flush() throws(TemplateError) {
            out += try template.execute(root, data())
            system = ""
            prompt = ""
            response = ""
        }
        for message in messages {
            switch message.role {
            case "system":
                if !prompt.isEmpty || !response.isEmpty { try flush() }
                system = message.content
            case "user":
                if !response.isEmpty { try flush() }
                prompt = message.content
            case "assistant":
                response = message.content
            default:
                continue
            }
        }
        return out + (try template.execute(TreeAnalysis.cutAfterResponse(root), data()))
    }

    private static func data(_ entries: [String: TemplateValue]) -> TemplateValue {
        .map(TemplateMap(entries))
    }

    /// All system contents joined by blank lines, and the messages with consecutive same-role
    /// ones (tool results excepted) merged into the first, contents joined by a blank line.
    static func collate(_ messages: [PromptMessage]) -> (system: String, messages: [PromptMessage]) {
        var system: [String] = []
        var collated: [PromptMessage] = []
        for message in messages {
            if message.role == "system" { system.append(message.content) }
            if let last = collated.last, last.role == message.role, message.role != "tool" {
                collated[collated.count - 1].content += "\n\n" + message.content
            } else {
                collated.append(message)
            }
        }
        return (system.joined(separator: "\n\n"), collated)
    }

    /// `*templateMessage`.
    private static func message(_ m: PromptMessage) -> TemplateValue {
        let calls = m.toolCalls.map { call in
            TemplateValue.record(TemplateRecord(typeName: "template.templateToolCall", fields: [
                .init("ID", .string(call.id)),
                .init("Function", .record(TemplateRecord(typeName: "template.templateToolCallFunction", fields: [
                    .init("Index", .int(call.index)),
                    .init("Name", .string(call.name)),
                    .init("Arguments", .map(TemplateMap(call.arguments.dictionary.mapValues { ToolModel.any($0) }, style: .jsonOrEmptyObject))),
                ]))),
            ]))
        }
        let images = TemplateValue.list(TemplateList(Array(repeating: .list([]), count: m.imageCount), isNil: m.imageCount == 0))
        return .record(TemplateRecord(typeName: "*template.templateMessage", fields: [
            .init("Role", .string(m.role)),
            .init("Content", .string(m.content)),
            .init("Thinking", .string(m.thinking)),
            .init("Images", images),
            .init("ToolCalls", .list(TemplateList(calls, isNil: calls.isEmpty))),
            .init("ToolName", .string(m.toolName)),
            .init("ToolCallID", .string(m.toolCallID)),
        ], isPointer: true))
    }
}
