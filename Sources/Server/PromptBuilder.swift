import Engine
import Sampling
import Models
import Logging
import GGUF
import GoTemplate
import Jinja
import JSON
import ModelStore
import OllamaAPI

/// Turns a request into prompt text as the model's template says (spec §1.4.1, §1.4.2, §4.4).
/// Which template: the Modelfile TEMPLATE (Go text/template) when the model has one, else the
/// GGUF's Jinja chat template (rendered as Hugging Face renders it), else Ollama's default
/// `{{ .Prompt }}`, which passes generate's prompt through and cannot chat.
struct PromptBuilder {
    let entry: CatalogEntry

    /// Generate's prompt: the request's system (else the Modelfile's), the Modelfile MESSAGEs
    /// unless `context` continues an earlier exchange, then the user's prompt.
    func renderGenerate(prompt: String, suffix: String, system: String?, hasContext: Bool,
                        templateOverride: String?) throws(APIError) -> String {
        var messages = hasContext ? [] : entry.stored.messages.map { Message(role: $0.role, content: $0.content) }
        messages.append(Message(role: "user", content: prompt))
        let system = system ?? entry.stored.system
        var template: PromptTemplate?
        if let templateOverride { template = try Self.goTemplate(templateOverride) } else if let parsed = entry.goTemplate {
            template = try Self.parsed(parsed)
        }
        if let template {
            if !suffix.isEmpty {
                return try Self.render(template, PromptInput(prompt: prompt, suffix: suffix))
            }
            return try Self.render(template, PromptInput(system: system, messages: messages.map(Self.promptMessage), tools: []))
        }
        if !suffix.isEmpty { throw .badRequest("\"\(entry.name)\" does not support insert") }
        if let jinja = entry.jinjaTemplate {
            var all = messages
            if let system, !system.isEmpty { all.insert(Message(role: "system", content: system), at: 0) }
            return try renderJinja(jinja, all, tools: [], think: nil)
        }
        return prompt
    }

    /// Chat's prompt from the effective messages: Modelfile MESSAGEs + the request's, with the
    /// Modelfile SYSTEM first unless the conversation brings its own.
    func renderChat(_ requestMessages: [Message], tools: [JSONValue], think: ThinkValue?) throws(APIError) -> String {
        var messages = entry.stored.messages.map { Message(role: $0.role, content: $0.content) } + requestMessages
        if let system = entry.stored.system, !system.isEmpty, messages.first?.role != "system" {
            messages.insert(Message(role: "system", content: system), at: 0)
        }
        if let parsed = entry.goTemplate {
            let setting: ThinkSetting? = think.map { t in
                switch t {
                case .enabled(let b): .enabled(b)
                case .level(let l): .level(l)
                }
            }
            return try Self.render(try Self.parsed(parsed),
                                   PromptInput(messages: messages.map(Self.promptMessage), tools: tools.isEmpty ? nil : tools, think: setting))
        }
        guard let jinja = entry.jinjaTemplate else {
            throw .badRequest("model '\(entry.name)' has no chat template: create it with a TEMPLATE in its Modelfile, or use /api/generate with raw")
        }
        return try renderJinja(jinja, messages, tools: tools, think: think)
    }

    /// The thinking tags the template uses, when it has both (spec §7.2).
    func thinkingTags() -> (open: String, close: String)? {
        if let parsed = entry.goTemplate {
            guard let t = try? parsed.get(), t.supportsThinking else { return nil }
            return (t.thinkingOpenTag, t.thinkingCloseTag)
        }
        if let jinja = entry.chatTemplate, Self.jinjaThinks(jinja) { return ("<think>", "</think>") }
        return nil
    }

    /// A Jinja template thinks when it has both tags, or strips earlier reasoning with
    /// `content.split('</think>')` (DeepSeek-R1's idiom) without a `reasoning_content` field (spec §7.2).
    static func jinjaThinks(_ jinja: String) -> Bool {
        (jinja.contains("<think>") && jinja.contains("</think>"))
            || (jinja.contains("split('</think>')") && !jinja.contains("reasoning_content"))
    }

    /// The text that starts a tool call in this model's output (spec §1.9).
    func toolCallTag() -> String {
        if let parsed = entry.goTemplate { return (try? parsed.get())?.toolCallTag ?? "{" }
        guard let jinja = entry.chatTemplate else { return "{" }
        for tag in ["<tool_call>", "[TOOL_CALLS]", "<|python_tag|>", "<｜tool▁calls▁begin｜>"] where jinja.contains(tag) { return tag }
        return "{"
    }

    /// Whether `prompt`, without trailing whitespace, ends with `tag` (the template pre-filled it).
    static func endsWith(_ prompt: String, _ tag: String) -> Bool {
        String(prompt.reversed().drop(while: \.isWhitespace).reversed()).hasSuffix(tag)
    }

    /// The index of the oldest message that may be dropped to fit the context: never a system
    /// message, never the last one.
    static func droppableIndex(_ messages: [Message]) -> Int? {
        messages.indices.first { messages[$0].role != "system" && $0 != messages.count - 1 }
    }

    /// Whether the rendered prompt already starts with the BOS text, so tokenizing must not add another.
    func startsWithBOS(_ prompt: String) -> Bool {
        guard let bos = entry.bosText, !bos.isEmpty else { return false }
        return prompt.hasPrefix(bos)
    }

    static func goTemplate(_ text: String) throws(APIError) -> PromptTemplate {
        try parsed(Result { () throws(TemplateError) in try PromptTemplate(text) })
    }

    /// A parsed TEMPLATE, or Ollama's 400 `template error: …` when it does not parse.
    static func parsed(_ result: Result<PromptTemplate, TemplateError>) throws(APIError) -> PromptTemplate {
        switch result {
        case .success(let t): return t
        case .failure(let error): throw .badRequest("template error: \(error.description)")
        }
    }

    private static func render(_ template: PromptTemplate, _ input: PromptInput) throws(APIError) -> String {
        do throws(TemplateError) { return try template.render(input) } catch { throw .serverError("template error: \(error.description)") }
    }

    private static func promptMessage(_ m: Message) -> PromptMessage {
        PromptMessage(role: m.role, content: m.content, thinking: m.thinking, imageCount: m.images.count,
                      toolCalls: m.toolCalls.map { .init(id: $0.id, index: $0.index, name: $0.name, arguments: $0.arguments) },
                      toolName: m.toolName, toolCallID: m.toolCallID)
    }

    /// Renders the GGUF's Jinja template with the variables Hugging Face passes.
    private func renderJinja(_ parsed: Result<ChatTemplate, JinjaError>, _ messages: [Message], tools: [JSONValue],
                             think: ThinkValue?) throws(APIError) -> String {
        let template: ChatTemplate
        switch parsed {
        case .success(let t): template = t
        case .failure(let error): throw .serverError("the model's chat template does not parse: \(error.description)")
        }
        var context: JSONObject = [
            "messages": .array(messages.map(Self.jinjaMessage)),
            "tools": tools.isEmpty ? .null : .array(tools),
            "add_generation_prompt": .bool(true),
            "bos_token": .string(entry.bosText ?? ""),
            "eos_token": .string(entry.eosText ?? ""),
        ]
        if let think {
            context["enable_thinking"] = .bool(think.isOn)
            if case .level(let level) = think { context["reasoning_effort"] = .string(level) }
        }
        do throws(JinjaError) { return try template.render(context) } catch {
            if error.kind == .raised { throw .badRequest(error.message) }
            throw .serverError("chat template error: \(error.description)")
        }
    }

    /// A message as HF chat templates read it; earlier thinking travels as `reasoning_content`.
    private static func jinjaMessage(_ m: Message) -> JSONValue {
        var o: JSONObject = ["role": .string(m.role), "content": .string(m.content)]
        if !m.thinking.isEmpty { o["reasoning_content"] = .string(m.thinking) }
        if !m.toolCalls.isEmpty {
            o["tool_calls"] = .array(m.toolCalls.map { call in
                var c: JSONObject = ["type": .string("function"),
                                     "function": .object(["name": .string(call.name), "arguments": .object(call.arguments)])]
                if !call.id.isEmpty { c["id"] = .string(call.id) }
                return .object(c)
            })
        }
        if !m.toolName.isEmpty { o["name"] = .string(m.toolName) }
        if !m.toolCallID.isEmpty { o["tool_call_id"] = .string(m.toolCallID) }
        return .object(o)
    }
}
