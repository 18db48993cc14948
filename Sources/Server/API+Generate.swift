import ChatOutput
import Engine
import GGUF
import Grammar
import Hummingbird
import JSON
import Logging
import Models
import ModelStore
import OllamaAPI
import Sampling
import Tokenizer

extension API {
    /// Everything generate settles before generating, shared by `/api/generate` and `/v1/completions`.
    struct GenerateSetup: Sendable {
        var entry: CatalogEntry
        var options: RequestOptions
        var request: GenerateRequest
        /// The prompt text after templating (the prompt itself when raw).
        var prompt: String
        var thinking: ThinkingParser?
        var addBOS: Bool

        var tokens: @Sendable (LoadedModel) throws(APIError) -> (tokens: [TokenID], droppedMessages: Int) {
            let earlier = (request.context ?? []).map { TokenID(truncatingIfNeeded: $0) }
            let (text, addBOS) = (prompt, addBOS)
            // Special tokens in the rendered prompt are parsed; BOS as the vocabulary asks, once.
            return { loaded in (earlier + loaded.tokenizer.encode(text, addSpecial: addBOS, parseSpecial: true), 0) }
        }

        var router: @Sendable () -> OutputRouter {
            let thinking = thinking
            return { OutputRouter(thinking: thinking, tools: nil) }
        }
    }

    func prepareGenerate(_ req: GenerateRequest) throws(APIError) -> GenerateSetup {
        guard !req.model.isEmpty else { throw .badRequest("model is required") }
        if req.raw && (req.template != nil || req.system != nil || req.context != nil) {
            throw .badRequest("raw mode does not support template, system, or context")
        }
        let entry = try catalog.entry(req.model)
        try Self.checkCapabilities(entry, requested: req.model, images: req.images, think: req.think, format: req.format)
        guard entry.poolingType == nil else { throw .badRequest("\"\(req.model)\" does not support generate") }
        let options = try RequestOptions(config: config, modelParameters: entry.stored.parameters, request: req.options)
        let builder = PromptBuilder(entry: entry)
        let isLoadOnly = req.prompt.isEmpty && req.suffix.isEmpty && req.context == nil
        let text = req.raw || isLoadOnly ? req.prompt : try builder.renderGenerate(
            prompt: req.prompt, suffix: req.suffix, system: req.system, hasContext: req.context != nil, templateOverride: req.template)
        let thinking: ThinkingParser? = !req.raw && (req.think?.isOn ?? true) ? builder.thinkingTags().map { tags in
            ThinkingParser(openingTag: tags.open, closingTag: tags.close, prefilled: PromptBuilder.endsWith(text, tags.open))
        } : nil
        var constrained = options
        try Self.constrain(&constrained, format: req.format, thinkingClosingTag: thinking?.closingTag)
        return GenerateSetup(entry: entry, options: constrained, request: req, prompt: text, thinking: thinking,
                             addBOS: (req.context ?? []).isEmpty && !builder.startsWithBOS(text))
    }

    /// `POST /api/generate` (spec §1.4.1).
    func generate(_ request: Request, _ context: TernContext) async throws -> Response {
        let received = Monotonic.now()
        do throws(APIError) {
            let req = try GenerateRequest(body: try await Self.body(request))
            let setup = try prepareGenerate(req)
            let model = req.model
            if req.prompt.isEmpty && req.suffix.isEmpty && req.context == nil {
                return await loadOrUnload(setup.entry, options: setup.options, keepAlive: req.keepAlive, context: context) { reason in
                    ["model": .string(model), "created_at": .string(Timestamp.now()), "response": .string(""),
                     "done": .bool(true), "done_reason": .string(reason)]
                }
            }
            if req.debugRenderOnly {
                return HTTPResponses.json(.object(["_debug_info": .object(["rendered_template": .string(setup.prompt), "image_count": .int(0)])]))
            }
            let raw = req.raw
            let plan = GenerationPlan(
                entry: setup.entry, options: setup.options, keepAlive: req.keepAlive, stream: req.stream,
                tokens: setup.tokens, router: setup.router,
                chunk: { delta in
                    var o: JSONObject = ["model": .string(model), "created_at": .string(Timestamp.now()), "response": .string(delta.content)]
                    if !delta.thinking.isEmpty { o["thinking"] = .string(delta.thinking) }
                    o["done"] = .bool(false)
                    return [o]
                },
                final: { outcome in [Self.generateFinal(model: model, raw: raw, outcome: outcome, whole: ReplyDelta())] },
                merge: { whole, outcome in Self.generateFinal(model: model, raw: raw, outcome: outcome, whole: whole) })
            return await generateResponse(plan, received: received, context: context)
        } catch {
            return HTTPResponses.error(error)
        }
    }

    /// The closing object of a generation: `response` (the whole text when not streaming),
    /// `thinking`, `done_reason`, `context` unless raw, and the metrics.
    static func generateFinal(model: String, raw: Bool, outcome: Outcome, whole: ReplyDelta) -> JSONObject {
        var o: JSONObject = ["model": .string(model), "created_at": .string(Timestamp.now()), "response": .string(whole.content)]
        if !whole.thinking.isEmpty { o["thinking"] = .string(whole.thinking) }
        o["done"] = .bool(true)
        o["done_reason"] = .string(outcome.reason.rawValue)
        if !raw { o["context"] = .array((outcome.promptTokens + outcome.generated).map { .int(Int($0)) }) }
        outcome.metrics.add(to: &o)
        return o
    }

    /// Refuses what the model cannot do with the texts Ollama uses (spec §1.1, §1.10).
    static func checkCapabilities(_ entry: CatalogEntry, requested: String, images: [String], think: ThinkValue?,
                                  format: JSONValue?) throws(APIError) {
        if !images.isEmpty && !entry.capabilities.contains("vision") {
            throw .badRequest("\"\(requested)\" does not support images: it has no vision capability")
        }
        if let think, think.isOn, !entry.capabilities.contains("thinking") {
            throw .badRequest("\"\(requested)\" does not support thinking")
        }
    }

    /// `format` as a grammar on the run options (spec §1.7): "json" = any object, else a JSON
    /// schema; a thinking model thinks unconstrained and answers in the format after `closingTag`.
    static func constrain(_ options: inout RequestOptions, format: JSONValue?, thinkingClosingTag: String?) throws(APIError) {
        guard let format else { return }
        do throws(GrammarError) {
            options.run.grammar = try JSONGrammar(schema: format == .string("json") ? nil : format)
        } catch {
            throw .badRequest("invalid format: \(error)")
        }
        options.run.grammarStartsAfter = thinkingClosingTag
    }
}
