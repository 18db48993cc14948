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
    /// `POST /api/chat` (spec §1.4.2).
    func chat(_ request: Request, _ context: TernContext) async throws -> Response {
        let received = Monotonic.now()
        do throws(APIError) {
            let req = try ChatRequest(body: try await Self.body(request))
            guard !req.model.isEmpty else { throw .badRequest("model is required") }
            let entry = try catalog.entry(req.model)
            try Self.checkCapabilities(entry, requested: req.model, images: req.messages.flatMap(\.images), think: req.think,
                                       format: req.format)
            guard entry.poolingType == nil else { throw .badRequest("\"\(req.model)\" does not support chat") }
            if !req.tools.isEmpty && !entry.capabilities.contains("tools") {
                throw .badRequest("\(entry.stored.name.description) does not support tools")
            }
            let options = try RequestOptions(config: config, modelParameters: entry.stored.parameters, request: req.options)
            let model = req.model
            if req.messages.isEmpty {
                return await loadOrUnload(entry, options: options, keepAlive: req.keepAlive, context: context) { reason in
                    ["model": .string(model), "created_at": .string(Timestamp.now()),
                     "message": .object(["role": .string("assistant"), "content": .string("")]),
                     "done": .bool(true), "done_reason": .string(reason)]
                }
            }
            let builder = PromptBuilder(entry: entry)
            let text = try builder.renderChat(req.messages, tools: req.tools, think: req.think)
            let addBOS = !builder.startsWithBOS(text)
            if req.debugRenderOnly {
                return HTTPResponses.json(.object(["_debug_info": .object(["rendered_template": .string(text), "image_count": .int(0)])]))
            }
            @Sendable func message(_ content: String) -> JSONValue { .object(["role": .string("assistant"), "content": .string(content)]) }
            let plan = GenerationPlan(
                entry: entry, options: options, keepAlive: req.keepAlive, stream: req.stream,
                tokens: { loaded in loaded.tokenizer.encode(text, addSpecial: addBOS, parseSpecial: true) },
                chunk: { piece in
                    ["model": .string(model), "created_at": .string(Timestamp.now()), "message": message(piece), "done": .bool(false)]
                },
                final: { reason, _, _ in
                    ["model": .string(model), "created_at": .string(Timestamp.now()), "message": message(""),
                     "done": .bool(true), "done_reason": .string(reason.rawValue)]
                },
                merge: { text, final in
                    var o = final
                    o["message"] = message(text)
                    return o
                })
            return await generateResponse(plan, received: received, context: context)
        } catch {
            return HTTPResponses.error(error)
        }
    }
}
