import Engine
import Sampling
import Models
import Logging
import GGUF
import JSON
import ModelStore
import OllamaAPI

/// Turns a request into prompt text as the model's template says (spec §1.4.1, §1.4.2, §4.4).
/// Which template: the Modelfile TEMPLATE (Go text/template) when the model has one, else the
/// GGUF's Jinja chat template, else Ollama's default `{{ .Prompt }}`.
struct PromptBuilder {
    let entry: CatalogEntry

    /// The messages generate renders: system (request, else Modelfile), the Modelfile MESSAGEs
    /// unless `context` continues an earlier exchange, then the user's prompt.
    func generateMessages(prompt: String, system: String?, hasContext: Bool) -> (system: String?, messages: [Message]) {
        var messages: [Message] = []
        if !hasContext { messages += entry.stored.messages.map { Message(role: $0.role, content: $0.content) } }
        messages.append(Message(role: "user", content: prompt))
        return (system ?? entry.stored.system, messages)
    }

    /// Chat's effective messages: Modelfile MESSAGEs + the request's, with the Modelfile SYSTEM
    /// first unless the conversation brings its own.
    func chatMessages(_ requestMessages: [Message]) -> [Message] {
        var messages = entry.stored.messages.map { Message(role: $0.role, content: $0.content) } + requestMessages
        if let system = entry.stored.system, messages.first?.role != "system" {
            messages.insert(Message(role: "system", content: system), at: 0)
        }
        return messages
    }

    /// Renders generate's prompt. A model without any template uses the prompt as it is.
    func renderGenerate(prompt: String, system: String?, hasContext: Bool, templateOverride: String?) throws(APIError) -> String {
        let template = templateOverride ?? entry.stored.template
        if template == nil || template == ModelfileRenderer.defaultTemplate, entry.chatTemplate == nil || template != nil {
            return prompt
        }
        throw .serverError("model '\(entry.name)': rendering its template is not implemented yet")
    }

    /// Renders chat's prompt; a model with no template at all cannot chat.
    func renderChat(_ messages: [Message], tools: [JSONValue], think: ThinkValue?) throws(APIError) -> String {
        guard entry.stored.template != nil || entry.chatTemplate != nil else {
            throw .badRequest("model '\(entry.name)' has no chat template: create it with a TEMPLATE in its Modelfile")
        }
        throw .serverError("model '\(entry.name)': rendering its template is not implemented yet")
    }
}
