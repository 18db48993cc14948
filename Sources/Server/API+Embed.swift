import Sampling
import Models
import ModelStore
import Logging
import GGUF
import Engine
import Hummingbird
import JSON
import OllamaAPI

extension API {
    /// `POST /api/embed` (spec §1.4.3): L2-normalized vectors, optionally cut to `dimensions`.
    func embed(_ request: Request, _ context: TernContext) async throws -> Response {
        let received = Monotonic.now()
        do throws(APIError) {
            let req = try EmbedRequest(body: try await Self.body(request))
            guard !req.model.isEmpty else { throw .badRequest("model is required") }
            if let d = req.dimensions, d < 0 { throw .badRequest("dimensions must be a positive number") }
            let (vectors, promptTokens, loadDuration) = try await embeddings(of: req.inputs, model: req.model, options: req.options,
                                                                            keepAlive: req.keepAlive, truncate: req.truncate,
                                                                            context: context)
            var o: JSONObject = ["model": .string(req.model)]
            o["embeddings"] = .array(try vectors.map { (e) throws(APIError) in
                let v = e.normalized(dimensions: req.dimensions.flatMap { $0 > 0 ? $0 : nil })
                guard v.allSatisfy(\.isFinite) else { throw .serverError("the embedding contains NaN or infinite values") }
                return .array(v.map { .float32($0) })
            })
            if !req.inputs.isEmpty {
                o["total_duration"] = .int(Int(Monotonic.now() - received))
                o["load_duration"] = .int(Int(loadDuration))
                o["prompt_eval_count"] = .int(promptTokens)
            }
            return HTTPResponses.json(.object(o))
        } catch {
            return HTTPResponses.error(error)
        }
    }

    /// `POST /api/embeddings`, the legacy form: one vector, not normalized; errors are 500s.
    func embeddings(_ request: Request, _ context: TernContext) async throws -> Response {
        do throws(APIError) {
            let req = try EmbeddingsRequest(body: try await Self.body(request))
            guard !req.model.isEmpty else { throw .badRequest("model is required") }
            let inputs = req.prompt.isEmpty ? [] : [req.prompt]
            let (vectors, _, _) = try await embeddings(of: inputs, model: req.model, options: req.options, keepAlive: req.keepAlive,
                                                      truncate: true, context: context)
            let vector = vectors.first?.vector ?? []
            guard vector.allSatisfy(\.isFinite) else { throw .serverError("the embedding contains NaN or infinite values") }
            return HTTPResponses.json(.object(["embedding": .array(vector.map { .double(Double($0)) })]))
        } catch {
            return HTTPResponses.error(error.status == 400 || error.status == 404 ? error : .serverError(error.message))
        }
    }

    /// Loads the model (an empty input list only loads it) and embeds each input on its runner.
    func embeddings(of inputs: [String], model: String, options requestOptions: JSONObject, keepAlive: KeepAlive?,
                            truncate: Bool, context: TernContext) async throws(APIError) -> ([Embedding], Int, UInt64) {
        let entry = try catalog.entry(model)
        let options = try RequestOptions(config: config, modelParameters: entry.stored.parameters, request: requestOptions)
        let cancel = CancelFlag()
        context.cancelOnDisconnect(cancel)
        let waitStart = Monotonic.now()
        let runner = try await scheduler.acquire(try modelRequest(entry, options: options, keepAlive: keepAlive), cancel: cancel)
        let loadDuration = Monotonic.now() - waitStart
        defer { Task { await scheduler.release(runner) } }
        let run = options.run
        do {
            let vectors = try await runner.run { loaded in
                let embedder = Embedder(loaded, options: run, truncate: truncate)
                return try inputs.map { (text) throws(EmbeddingError) in try embedder.embed(text) }
            }
            return (vectors, vectors.reduce(0) { $0 + $1.promptTokens }, loadDuration)
        } catch let error as EmbeddingError {
            throw .badRequest(error.description)
        } catch {
            throw .serverError("\(error)")
        }
    }
}
