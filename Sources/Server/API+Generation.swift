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
        /// Builds the prompt's token ids once the runner (and its tokenizer) is ready.
        var tokens: @Sendable (LoadedModel) throws(APIError) -> [TokenID]
        /// One streamed chunk for a text delta.
        var chunk: @Sendable (_ text: String) -> JSONObject
        /// The final chunk (`done: true`) before the metrics are added.
        var final: @Sendable (_ reason: DoneReason, _ promptTokens: [TokenID], _ generated: [TokenID]) -> JSONObject
        /// Folds the whole answer into one object for `stream: false`.
        var merge: @Sendable (_ text: String, _ final: JSONObject) -> JSONObject
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
        let loadDuration: UInt64
        do throws(APIError) {
            let request = try modelRequest(plan.entry, options: plan.options, keepAlive: plan.keepAlive)
            let waitStart = Monotonic.now()
            runner = try await scheduler.acquire(request, cancel: cancel)
            loadDuration = Monotonic.now() - waitStart
            do throws(APIError) {
                prompt = try plan.tokens(runner.loaded)
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
            return HTTPResponses.error(error)
        }
        let scheduler = self.scheduler
        let logger = self.logger
        let events = runner.generate(prompt: prompt, runOptions: plan.options.run, cancel: cancel)

        /// Runs the generation, handing each text delta to `send`; returns the final object.
        @Sendable func drive(_ send: (String) async -> Bool) async throws -> JSONObject {
            let shutdown = CancelFlag()
            defer { Task { await scheduler.release(runner) } }
            return try await withGracefulShutdownHandler {
                var final: JSONObject?
                for try await event in events {
                    switch event {
                    case .text(let piece):
                        if !(await send(piece)) { cancel.cancel() }
                    case .done(let stats, let generated):
                        if shutdown.isCancelled { throw APIError.serverError("server is shutting down") }
                        var o = plan.final(stats.doneReason == .cancelled ? .stop : stats.doneReason, prompt, generated)
                        var metrics = Metrics()
                        metrics.totalDuration = Monotonic.now() - received
                        metrics.loadDuration = loadDuration
                        metrics.promptEvalCount = stats.promptTokens
                        metrics.promptEvalDuration = stats.promptDuration
                        metrics.evalCount = stats.generatedTokens
                        metrics.evalDuration = stats.generationDuration
                        metrics.add(to: &o)
                        final = o
                    }
                }
                guard let final else { throw APIError.serverError("generation ended without a result") }
                return final
            } onGracefulShutdown: {
                logger.info("shutting down: stopping a generation")
                shutdown.cancel()
                cancel.cancel()
            }
        }

        if plan.stream {
            return HTTPResponses.ndjson(cancel: cancel) { send in
                let final = try await drive { piece in await send(.object(plan.chunk(piece))) }
                _ = await send(.object(final))
            }
        }
        do {
            var text = ""
            let final = try await drive { piece in
                text += piece
                return !cancel.isCancelled
            }
            return HTTPResponses.json(.object(plan.merge(text, final)))
        } catch {
            return HTTPResponses.error(error as? APIError ?? .serverError("\(error)"))
        }
    }
}
