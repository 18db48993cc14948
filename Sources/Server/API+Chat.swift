import ChatOutput
import Engine
import Hummingbird
import JSON
import Logging
import Models
import ModelStore
import OllamaAPI
import Sampling
import Tokenizer

extension API {
    /// Everything chat settles before generating, shared by `/api/chat` and `/v1/chat/completions`.
    struct ChatSetup: Sendable {
        var entry: CatalogEntry
        var options: RequestOptions
        var request: ChatRequest
        /// The rendered prompt of the whole conversation.
        var prompt: String
        var tools: [JSONValue]
        var thinking: ThinkingParser?
        var toolNames: Set<String>
        var toolTag: String

        /// The plan's prompt builder: drops the oldest turns (never a system message, never the
        /// last) until the prompt fits the context.
        var tokens: @Sendable (LoadedModel) throws(APIError) -> (tokens: [TokenID], droppedMessages: Int) {
            let builder = PromptBuilder(entry: entry)
            let (first, messages, tools, think) = (prompt, request.messages, tools, request.think)
            let contextLength = options.run.sampling.numCtx
            return { (loaded) throws(APIError) in
                let limit = min(contextLength, max(loaded.model.trainedContextLength, 4))
                var kept = messages
                var dropped = 0
                while true {
                    var text = first
                    if dropped > 0 { text = try builder.renderChat(kept, tools: tools, think: think) }
                    let ids = loaded.tokenizer.encode(text, addSpecial: !builder.startsWithBOS(text), parseSpecial: true)
                    guard ids.count >= limit, let oldest = PromptBuilder.droppableIndex(kept) else { return (ids, dropped) }
                    kept.remove(at: oldest)
                    dropped += 1
                }
            }
        }

        var router: @Sendable () -> OutputRouter {
            let (thinking, names, tag) = (thinking, toolNames, toolTag)
            return { OutputRouter(thinking: thinking, tools: names.isEmpty ? nil : ToolCallParser(tag: tag, toolNames: names)) }
        }
    }

    /// Validates a chat request and renders its prompt.
    func prepareChat(_ req: ChatRequest) throws(APIError) -> ChatSetup {
        guard !req.model.isEmpty else { throw .badRequest("model is required") }
        let entry = try catalog.entry(req.model)
        try Self.checkCapabilities(entry, requested: req.model, images: req.messages.flatMap(\.images), think: req.think, format: req.format)
        guard entry.poolingType == nil else { throw .badRequest("\"\(req.model)\" does not support chat") }
        let toolsUsable = entry.capabilities.contains("tools")
        if !req.tools.isEmpty && !toolsUsable {
            // Open WebUI sends its tools with every chat: answer normally rather than refuse.
            logger.info("ignoring tools the model's template cannot render", metadata: ["model": "\(req.model)", "tools": "\(req.tools.count)"])
        }
        let tools = toolsUsable ? req.tools : []
        var options = try RequestOptions(config: config, modelParameters: entry.stored.parameters, request: req.options)
        let builder = PromptBuilder(entry: entry)
        let prompt = req.messages.isEmpty ? "" : try builder.renderChat(req.messages, tools: tools, think: req.think)
        // Thinking-capable models think unless asked not to (spec §7.1); the prompt may already open the block.
        let thinking: ThinkingParser? = (req.think?.isOn ?? true) ? builder.thinkingTags().map { tags in
            ThinkingParser(openingTag: tags.open, closingTag: tags.close, prefilled: PromptBuilder.endsWith(prompt, tags.open))
        } : nil
        try Self.constrain(&options, format: req.format, thinkingClosingTag: thinking?.closingTag)
        return ChatSetup(entry: entry, options: options, request: req, prompt: prompt, tools: tools, thinking: thinking,
                         toolNames: Set(tools.compactMap { $0.objectValue?["function"]?.objectValue?["name"]?.stringValue }),
                         toolTag: builder.toolCallTag())
    }

    /// `POST /api/chat` (spec §1.4.2).
    func chat(_ request: Request, _ context: TernContext) async throws -> Response {
        let received = Monotonic.now()
        do throws(APIError) {
            let req = try ChatRequest(body: try await Self.body(request))
            let setup = try prepareChat(req)
            let model = req.model
            if req.messages.isEmpty {
                return await loadOrUnload(setup.entry, options: setup.options, keepAlive: req.keepAlive, context: context) { reason in
                    ["model": .string(model), "created_at": .string(Timestamp.now()),
                     "message": .object(["role": .string("assistant"), "content": .string("")]),
                     "done": .bool(true), "done_reason": .string(reason)]
                }
            }
            if req.debugRenderOnly {
                return HTTPResponses.json(.object(["_debug_info": .object(["rendered_template": .string(setup.prompt), "image_count": .int(0)])]))
            }
            @Sendable func message(_ delta: ReplyDelta) -> JSONValue {
                var m = Message(role: "assistant", content: delta.content, thinking: delta.thinking)
                m.toolCalls = delta.toolCalls
                return m.json
            }
            @Sendable func final(_ outcome: Outcome, _ whole: ReplyDelta) -> JSONObject {
                var o: JSONObject = ["model": .string(model), "created_at": .string(Timestamp.now()), "message": message(whole),
                                     "done": .bool(true), "done_reason": .string(outcome.reason.rawValue)]
                if outcome.droppedMessages > 0 { o["dropped_messages"] = .int(outcome.droppedMessages) }
                outcome.metrics.add(to: &o)
                return o
            }
            let plan = GenerationPlan(
                entry: setup.entry, options: setup.options, keepAlive: req.keepAlive, stream: req.stream,
                tokens: setup.tokens, router: setup.router,
                chunk: { delta in
                    [["model": .string(model), "created_at": .string(Timestamp.now()), "message": message(delta), "done": .bool(false)]]
                },
                final: { outcome in [final(outcome, ReplyDelta())] },
                merge: { whole, outcome in final(outcome, whole) })
            return await generateResponse(plan, received: received, context: context)
        } catch {
            return HTTPResponses.error(error)
        }
    }
}
