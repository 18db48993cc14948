import Sampling
import Models
import ModelStore
import Logging
import GGUF
import Engine
import Hummingbird
import JSON
import OllamaAPI
import ServiceLifecycle
import Tokenizer

/// The part of generate and chat they share: options, the runner, the token loop, streaming.
extension API {
    /// What a handler has settled before generating.
    struct GenerationPlan: Sendable {
        var entry: CatalogEntry
        var options: RequestOptions
        var keepAlive: KeepAlive?
        var stream: Bool
        /// Builds the prompt's token ids once the runner (and its tokenizer) is ready; also
        /// returns how many old messages were dropped to fit the context.
        var tokens: @Sendable (LoadedModel) throws(APIError) -> (tokens: [TokenID], droppedMessages: Int)
        /// Splits the output into thinking, content and tool calls.
        var router: @Sendable () -> OutputRouter
        /// The streamed objects for a delta (OpenAI splits reasoning and content into two).
        var chunk: @Sendable (_ delta: ReplyDelta) -> [JSONObject]
        /// The closing objects of a stream (native: the `done` chunk with its metrics).
        var final: @Sendable (_ outcome: Outcome) -> [JSONObject]
        /// The whole answer as one object for `stream: false`.
        var merge: @Sendable (_ whole: ReplyDelta, _ outcome: Outcome) -> JSONObject
        /// NDJSON (native) or server-sent events (`/v1`).
        var framing = StreamFraming.ndjson
        /// How errors are shaped (native `{"error": text}` or OpenAI's error object).
        var errorShape = ErrorShape.native
    }

    /// How a generation ended, with Ollama's statistics.
    struct Outcome: Sendable {
        var reason: DoneReason
        var promptTokens: [TokenID]
        var generated: [TokenID]
        var metrics: Metrics
        var droppedMessages: Int
    }

    func modelRequest(_ entry: CatalogEntry, options: RequestOptions, keepAlive: KeepAlive?) throws(APIError) -> ModelRequest {
        guard let path = entry.stored.modelPath else { throw .serverError("model '\(entry.name)' has no weights layer") }
        return ModelRequest(name: entry.name, path: path, digest: entry.stored.stored.digest.hex, details: entry.details,
                            options: options.load, keepAlive: keepAlive)
    }

    /// Answers a load-only (`done_reason: "load"`) or unload (`"unload"`) request (spec §1.4.1).
    func loadOrUnload(_ entry: CatalogEntry, options: RequestOptions, keepAlive: KeepAlive?, context: TernContext,
                      reply: (String) -> JSONObject) async -> Response {
        do throws(APIError) {
            let request = try modelRequest(entry, options: options, keepAlive: keepAlive)
            if keepAlive?.isZero == true {
                _ = await scheduler.requestUnload(path: request.path)
                return HTTPResponses.json(.object(reply("unload")))
            }
            let cancel = CancelFlag()
            context.cancelOnDisconnect(cancel)
            let runner = try await scheduler.acquire(request, cancel: cancel)
            await scheduler.release(runner)
            return HTTPResponses.json(.object(reply("load")))
        } catch {
            return HTTPResponses.error(error)
        }
    }

    /// Loads the model, tokenizes, and generates, streamed as NDJSON or folded into one object.
    func generateResponse(_ plan: GenerationPlan, received: UInt64, context: TernContext) async -> Response {
        let cancel = CancelFlag()
        context.cancelOnDisconnect(cancel)
        let runner: Runner
        let prompt: [TokenID]
        let dropped: Int
        let loadDuration: UInt64
        do throws(APIError) {
            let request = try modelRequest(plan.entry, options: plan.options, keepAlive: plan.keepAlive)
            let waitStart = Monotonic.now()
            runner = try await scheduler.acquire(request, cancel: cancel)
            loadDuration = Monotonic.now() - waitStart
            do throws(APIError) {
                let built = try plan.tokens(runner.loaded)
                prompt = built.tokens
                dropped = built.droppedMessages
                let context = min(plan.options.run.sampling.numCtx, max(runner.loaded.model.trainedContextLength, 4))
                guard !prompt.isEmpty else { throw .badRequest("the prompt is empty after templating") }
                guard prompt.count < context else {
                    throw .badRequest("the input length (\(prompt.count) tokens) exceeds the context length (\(context))")
                }
            } catch {
                await scheduler.release(runner)
                throw error
            }
        } catch {
            return plan.errorShape.response(error)
        }
        let scheduler = self.scheduler
        let logger = self.logger
        let events = runner.generate(prompt: prompt, runOptions: plan.options.run, cancel: cancel)

        if dropped > 0 {
            logger.info("prompt truncated to fit the context", metadata: ["model": "\(plan.entry.name)", "dropped_messages": "\(dropped)"])
        }
        let router = plan.router()

        /// Runs the generation, handing each non-empty delta to `send`; returns how it ended.
        @Sendable func drive(_ send: (ReplyDelta) async -> Bool) async throws -> Outcome {
            let shutdown = CancelFlag()
            defer { Task { await scheduler.release(runner) } }
            return try await withGracefulShutdownHandler {
                var outcome: Outcome?
                for try await event in events {
                    switch event {
                    case .text(let piece):
                        let delta = router.add(piece)
                        if !delta.isEmpty, !(await send(delta)) { cancel.cancel() }
                    case .done(let stats, let generated):
                        if shutdown.isCancelled { throw APIError.serverError("server is shutting down") }
                        let tail = router.finish()
                        if !tail.isEmpty { _ = await send(tail) }
                        var metrics = Metrics()
                        metrics.totalDuration = Monotonic.now() - received
                        metrics.loadDuration = loadDuration
                        metrics.promptEvalCount = stats.promptTokens
                        metrics.promptEvalDuration = stats.promptDuration
                        metrics.evalCount = stats.generatedTokens
                        metrics.evalDuration = stats.generationDuration
                        outcome = Outcome(reason: stats.doneReason == .cancelled ? .stop : stats.doneReason, promptTokens: prompt,
                                          generated: generated, metrics: metrics, droppedMessages: dropped)
                    }
                }
                guard let outcome else { throw APIError.serverError("generation ended without a result") }
                return outcome
            } onGracefulShutdown: {
                logger.info("shutting down: stopping a generation")
                shutdown.cancel()
                cancel.cancel()
            }
        }

        if plan.stream {
            return HTTPResponses.stream(plan.framing, errorShape: plan.errorShape, cancel: cancel) { send in
                let outcome = try await drive { delta in
                    var ok = true
                    for object in plan.chunk(delta) { ok = await send(.object(object)) && ok }
                    return ok
                }
                for object in plan.final(outcome) { _ = await send(.object(object)) }
            }
        }
        do {
            var whole = ReplyDelta()
            let outcome = try await drive { delta in
                whole.append(delta)
                return !cancel.isCancelled
            }
            return HTTPResponses.json(.object(plan.merge(whole, outcome)))
        } catch {
            return plan.errorShape.response(error as? APIError ?? .serverError("\(error)"))
        }
    }
}
