import Engine
import Sampling
import Models
import Logging
import GGUF
import Hummingbird
import JSON
import ModelStore
import OllamaAPI

extension API {
    /// `POST /api/create` (spec §1.4.8): from an existing model or an uploaded GGUF blob, with
    /// template, system, parameters, messages and licenses; the legacy `modelfile` form too.
    func create(_ request: Request, _ context: TernContext) async throws -> Response {
        do throws(APIError) {
            let req = try CreateRequest(body: try await Self.body(request))
            guard let name = try? ModelName(parsing: req.model) else { throw .invalidModelName }
            let recipe = try recipe(for: req)
            let store = self.store
            let prune = config.prune
            let logger = self.logger
            /// Runs the store's create off the cooperative threads (it hashes and writes files).
            @Sendable func build(_ progress: @escaping @Sendable (String) -> Void) async throws(APIError) {
                let result = await Task.detached { () -> Result<StoredManifest, ModelStoreError> in
                    do throws(ModelStoreError) { return .success(try store.create(name, from: recipe, prune: prune, progress: progress)) } catch {
                        return .failure(error)
                    }
                }.value
                switch result {
                case .success(let stored): logger.info("created model", metadata: ["model": "\(stored.name.displayShortest)"])
                case .failure(let error):
                    if case .modelNotFound = error { throw .notFound(error.description) }
                    if case .blobNotFound = error { throw .badRequest(error.description) }
                    throw .serverError(error.description)
                }
            }
            if !req.stream {
                try await build { _ in }
                return HTTPResponses.json(.object(["status": .string("success")]))
            }
            let cancel = CancelFlag()
            return HTTPResponses.stream(.ndjson, cancel: cancel) { send in
                let (lines, continuation) = AsyncStream<String>.makeStream()
                let work = Task { () async throws in
                    defer { continuation.finish() }
                    try await build { continuation.yield($0) }
                }
                for await line in lines { _ = await send(.object(["status": .string(line)])) }
                try await work.value
                _ = await send(.object(["status": .string("success")]))
            }
        } catch {
            return HTTPResponses.error(error)
        }
    }

    private func recipe(for req: CreateRequest) throws(APIError) -> ModelRecipe {
        if let text = req.modelfile, req.from == nil, req.files.isEmpty {
            return try legacyRecipe(text)
        }
        if !req.adapters.isEmpty { throw .badRequest("adapters are not supported by this server") }
        if let q = req.quantize, !q.isEmpty { throw .badRequest("quantization is not supported by this server yet (requested \(q))") }
        var recipe: ModelRecipe
        switch (req.from, req.files.isEmpty) {
        case (let from?, true) where !from.isEmpty:
            recipe = ModelRecipe(base: .model(try baseModel(from)))
        case (_, false):
            for file in req.files where file.name.hasPrefix("/") || file.name.split(separator: "/").contains("..") {
                throw .badRequest("file path must be relative")
            }
            guard let gguf = req.files.first(where: { $0.name.hasSuffix(".gguf") }) ?? (req.files.count == 1 ? req.files[0] : nil) else {
                throw .badRequest("only GGUF models can be created from files (no .gguf among \(req.files.map(\.name)))")
            }
            guard let digest = BlobDigest(gguf.digest) else { throw .badRequest("invalid digest format") }
            guard store.blobs.exists(digest) else { throw .badRequest("blob \"\(digest)\" not found: upload it with POST /api/blobs first") }
            recipe = ModelRecipe(base: .gguf(digest))
        default:
            throw .badRequest("neither 'from' or 'files' was specified")
        }
        recipe.template = req.template
        recipe.system = req.system
        recipe.licenses = req.licenses ?? []
        if let parameters = req.parameters {
            recipe.parameters = try Self.checkedParameters(parameters)
        }
        if let messages = req.messages {
            recipe.messages = messages.map { ModelMessage(role: $0.role, content: $0.content) }
        }
        return recipe
    }

    private func baseModel(_ text: String) throws(APIError) -> ModelName {
        let name = try ModelCatalog.parse(text)
        guard (try? store.resolve(name)) != nil else { throw .notFound("model '\(text)' not found") }
        return name
    }

    /// The ≤ v0.5.4 request: a whole Modelfile whose FROM is a model name or a blob path of this store.
    private func legacyRecipe(_ text: String) throws(APIError) -> ModelRecipe {
        let modelfile: Modelfile
        do throws(ModelfileError) { modelfile = try Modelfile(parsing: text) } catch { throw .badRequest(error.description) }
        if let digest = FromArgument.blob(at: modelfile.from, in: store) {
            return ModelRecipe(modelfile, base: .gguf(digest))
        }
        return ModelRecipe(modelfile, base: .model(try baseModel(modelfile.from)))
    }

    /// Request parameters, type-checked like options; deprecated names are dropped.
    static func checkedParameters(_ parameters: JSONObject) throws(APIError) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (name, value) in parameters {
            guard let kind = ParameterTable.kinds[name] else {
                if ParameterTable.deprecated.contains(name) { continue }
                throw .badRequest("unknown parameter '\(name)'")
            }
            switch (kind, value) {
            case (.integer, _) where value.intValue != nil: out[name] = .int(value.intValue!)
            case (.float, _) where value.doubleValue != nil: out[name] = .float32(Float(value.doubleValue!))
            case (.boolean, .bool): out[name] = value
            case (.stringList, .string): out[name] = .array([value])
            case (.stringList, .array(let items)) where items.allSatisfy({ $0.stringValue != nil }): out[name] = value
            default: throw .badRequest("invalid value for parameter '\(name)': \(value.text())")
            }
        }
        return out
    }
}
