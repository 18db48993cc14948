import Jinja
import GoTemplate
import Engine
import Sampling
import Models
import Logging
import GGUF
import JSON
import ModelStore
import OllamaAPI
import Synchronization

/// What the API needs to know about a stored model: its layers, details and capabilities, and its
/// GGUF header facts. Headers are read once per weights blob and cached (they are immutable).
struct CatalogEntry: Sendable {
    var stored: StoredModel
    var details: ModelDetails
    var capabilities: [String]
    /// The GGUF's Jinja chat template, when it has one.
    var chatTemplate: String?
    /// The Modelfile TEMPLATE, parsed once per request (nil when the model has none).
    var goTemplate: Result<PromptTemplate, TemplateError>?
    /// The GGUF's chat template, parsed once per weights file (nil when it has none).
    var jinjaTemplate: Result<ChatTemplate, JinjaError>?
    /// `<arch>.pooling_type` when the GGUF declares one: an embedding model.
    var poolingType: Int?
    var modelInfo: JSONObject
    var tensors: [GGUFTensorInfo]
    /// The texts of the BOS and EOS tokens, which Jinja templates print.
    var bosText: String?
    var eosText: String?

    var name: String { stored.name.displayShortest }
}

final class ModelCatalog: Sendable {
    let store: ModelStore
    private let headers = Mutex<[String: HeaderFacts]>([:])

    init(store: ModelStore) { self.store = store }

    /// Parses a request's model name; 400 `invalid model name` when it cannot be one.
    static func parse(_ text: String) throws(APIError) -> ModelName {
        do throws(ModelNameError) { return try ModelName(parsing: text) } catch { throw .invalidModelName }
    }

    /// The model `text` names; 404 `model 'text' not found` when absent.
    func entry(_ text: String) throws(APIError) -> CatalogEntry {
        let name = try Self.parse(text)
        let stored: StoredModel
        do throws(ModelStoreError) { stored = try store.model(name) } catch {
            if case .modelNotFound = error { throw .modelNotFound(text) }
            throw .serverError(error.description)
        }
        return try entry(for: stored)
    }

    func entry(for stored: StoredModel) throws(APIError) -> CatalogEntry {
        var details = ModelDetails()
        details.parentModel = stored.parentModel
        details.format = stored.config.modelFormat.isEmpty ? "gguf" : stored.config.modelFormat
        details.family = stored.config.modelFamily
        details.families = stored.config.modelFamilies
        details.parameterSize = stored.config.modelType
        details.quantizationLevel = stored.config.fileType
        guard let path = stored.modelPath else {
            return CatalogEntry(stored: stored, details: details, capabilities: [], chatTemplate: nil, goTemplate: nil,
                                jinjaTemplate: nil, poolingType: nil, modelInfo: [:], tensors: [], bosText: nil, eosText: nil)
        }
        let facts = try header(path)
        var capabilities: [String] = []
        capabilities.append(facts.poolingType == nil ? "completion" : "embedding")
        let goTemplate = stored.template.map { text in Result { () throws(TemplateError) in try PromptTemplate(text) } }
        if let goTemplate {
            // A Go template declares what it can do through the fields it uses (spec §1.10).
            capabilities += (try? goTemplate.get())?.capabilities ?? []
        } else if let jinja = facts.chatTemplate {
            if jinja.contains("tools") || jinja.contains("tool_call") { capabilities.append("tools") }
            if PromptBuilder.jinjaThinks(jinja) { capabilities.append("thinking") }
        }
        return CatalogEntry(stored: stored, details: details, capabilities: capabilities, chatTemplate: facts.chatTemplate,
                            goTemplate: goTemplate, jinjaTemplate: facts.jinjaTemplate, poolingType: facts.poolingType, modelInfo: facts.modelInfo, tensors: facts.tensors,
                            bosText: facts.bosText, eosText: facts.eosText)
    }

    private func header(_ path: String) throws(APIError) -> HeaderFacts {
        if let cached = headers.withLock({ $0[path] }) { return cached }
        let facts: HeaderFacts
        do { facts = HeaderFacts(try GGUFFile(path: path)) } catch {
            throw .serverError("model weights \(path) are not a readable GGUF file: \(error)")
        }
        headers.withLock { $0[path] = facts }
        return facts
    }
}

/// The parts of a GGUF header the API reports.
struct HeaderFacts: Sendable {
    var chatTemplate: String?
    var jinjaTemplate: Result<ChatTemplate, JinjaError>?
    var poolingType: Int?
    /// `model_info` (spec §1.4.6): the metadata without `general.name` and the chat template.
    var modelInfo: JSONObject
    var tensors: [GGUFTensorInfo]
    var bosText: String?
    var eosText: String?

    init(_ file: GGUFFile) {
        chatTemplate = file["tokenizer.chat_template"]?.stringValue
        jinjaTemplate = chatTemplate.map { source in Result { () throws(JinjaError) in try ChatTemplate(source) } }
        let arch = file.architecture ?? ""
        poolingType = file["\(arch).pooling_type"]?.intValue.flatMap { $0 > 0 ? $0 : nil }
        var info = JSONObject()
        for entry in file.metadata where entry.key != "general.name" && entry.key != "tokenizer.chat_template" {
            info[entry.key] = entry.value.jsonValue
        }
        modelInfo = info
        tensors = file.tensors
        if case .array(let tokens)? = file["tokenizer.ggml.tokens"] {
            func text(_ key: String) -> String? {
                guard let id = file[key]?.intValue, id >= 0, id < tokens.count else { return nil }
                return tokens.element(id).stringValue
            }
            bosText = text("tokenizer.ggml.bos_token_id")
            eosText = text("tokenizer.ggml.eos_token_id")
        }
    }
}
