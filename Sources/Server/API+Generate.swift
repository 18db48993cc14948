import Sampling
import Models
import ModelStore
import Logging
import GGUF
import Engine
import Hummingbird
import JSON
import OllamaAPI
import Tokenizer

extension API {
    /// `POST /api/generate` (spec §1.4.1).
    func generate(_ request: Request, _ context: TernContext) async throws -> Response {
        let received = Monotonic.now()
        do throws(APIError) {
            let req = try GenerateRequest(body: try await Self.body(request))
            guard !req.model.isEmpty else { throw .badRequest("model is required") }
            if req.raw && (req.template != nil || req.system != nil || req.context != nil) {
                throw .badRequest("raw mode does not support template, system, or context")
            }
            let entry = try catalog.entry(req.model)
            try Self.checkCapabilities(entry, requested: req.model, images: req.images, think: req.think, format: req.format)
            guard entry.poolingType == nil else { throw .badRequest("\"\(req.model)\" does not support generate") }
            let options = try RequestOptions(config: config, modelParameters: entry.stored.parameters, request: req.options)
            let model = req.model
            if req.prompt.isEmpty && req.suffix.isEmpty && req.context == nil {
                return await loadOrUnload(entry, options: options, keepAlive: req.keepAlive, context: context) { reason in
                    ["model": .string(model), "created_at": .string(Timestamp.now()), "response": .string(""),
                     "done": .bool(true), "done_reason": .string(reason)]
                }
            }
            let builder = PromptBuilder(entry: entry)
            let text = req.raw ? req.prompt : try builder.renderGenerate(
                prompt: req.prompt, suffix: req.suffix, system: req.system, hasContext: req.context != nil, templateOverride: req.template)
            let addBOS = (req.context ?? []).isEmpty && !builder.startsWithBOS(text)
            if req.debugRenderOnly {
                return HTTPResponses.json(.object(["_debug_info": .object(["rendered_template": .string(text), "image_count": .int(0)])]))
            }
            let earlier = (req.context ?? []).map { TokenID(truncatingIfNeeded: $0) }
            let raw = req.raw
            let plan = GenerationPlan(
                entry: entry, options: options, keepAlive: req.keepAlive, stream: req.stream,
                tokens: { loaded in
                    // Special tokens in the rendered prompt are parsed; BOS as the vocabulary asks, once.
                    earlier + loaded.tokenizer.encode(text, addSpecial: addBOS, parseSpecial: true)
                },
                chunk: { piece in
                    ["model": .string(model), "created_at": .string(Timestamp.now()), "response": .string(piece), "done": .bool(false)]
                },
                final: { reason, prompt, generated in
                    var o: JSONObject = ["model": .string(model), "created_at": .string(Timestamp.now()), "response": .string(""),
                                         "done": .bool(true), "done_reason": .string(reason.rawValue)]
                    if !raw { o["context"] = .array((prompt + generated).map { .int(Int($0)) }) }
                    return o
                },
                merge: { text, final in
                    var o = final
                    o["response"] = .string(text)
                    return o
                })
            return await generateResponse(plan, received: received, context: context)
        } catch {
            return HTTPResponses.error(error)
        }
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
        if format != nil {
            throw .badRequest("structured outputs (\"format\") are not supported by this server yet")
        }
    }
}
