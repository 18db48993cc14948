import Placement
import GoTemplate
import Engine
import Sampling
import Models
import GGUF
import Hummingbird
import JSON
import Logging
import ModelStore
import NIOCore
import OllamaAPI

/// The native API's handlers over the store, the catalog and the scheduler.
struct API: Sendable {
    /// The Ollama version Tern reports: clients gate features (thinking, `context_length`) on it.
    static let compatibleVersion = "0.12.0"
    /// Request bodies beyond this are refused (blob uploads stream and are not bounded by it).
    static let maxBodyBytes = 64 << 20

    let config: ServerConfig
    let catalog: ModelCatalog
    let scheduler: Scheduler
    let logger: Logger

    var store: ModelStore { catalog.store }

    static func body(_ request: Request) async throws(APIError) -> [UInt8] {
        do {
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            return Array(buffer.readableBytesView)
        } catch {
            throw .badRequest("cannot read request body: \(error)")
        }
    }

    func root(_ request: Request, _ context: TernContext) async throws -> Response {
        HTTPResponses.text("Ollama is running", status: .ok)
    }

    func version(_ request: Request, _ context: TernContext) async throws -> Response {
        HTTPResponses.json(.object(["version": .string(Self.compatibleVersion)]))
    }

    func tags(_ request: Request, _ context: TernContext) async throws -> Response {
        let manifests: [StoredManifest]
        do throws(ModelStoreError) { manifests = try store.list() } catch { return HTTPResponses.error(.serverError(error.description)) }
        var models: [JSONValue] = []
        for manifest in manifests {
            guard let stored = try? store.model(manifest.name), let entry = try? catalog.entry(for: stored) else { continue }
            models.append(ListedModel(name: manifest.name.displayShortest, modifiedAt: Self.time(manifest.modifiedAt),
                                      size: manifest.size, digest: manifest.digest.hex, details: entry.details,
                                      capabilities: entry.capabilities).json)
        }
        return HTTPResponses.json(.object(["models": .array(models)]))
    }

    func ps(_ request: Request, _ context: TernContext) async throws -> Response {
        let running = await scheduler.running()
        return HTTPResponses.json(.object(["models": .array(running.map(\.json))]))
    }

    func show(_ request: Request, _ context: TernContext) async throws -> Response {
        do throws(APIError) {
            let req = try ShowRequest(body: try await Self.body(request))
            guard !req.model.isEmpty else { throw .badRequest("model is required") }
            let entry = try catalog.entry(req.model)
            let stored = entry.stored
            var info = entry.modelInfo
            if !req.verbose {
                for (key, value) in info { if case .array(let a) = value, a.count > 5 { info[key] = .array([]) } }
            }
            var o: JSONObject = [:]
            if !stored.licenses.isEmpty { o["license"] = .string(stored.licenses.joined(separator: "\n")) }
            var options = stored.parameters
            for (k, v) in req.options { options[k] = v }
            o["modelfile"] = .string(ModelfileRenderer.render(stored, system: req.system, options: options))
            let parameters = Self.parameterLines(options)
            if !parameters.isEmpty { o["parameters"] = .string(parameters) }
            let template = stored.template ?? entry.chatTemplate ?? ""
            if !template.isEmpty { o["template"] = .string(template) }
            if let system = req.system ?? stored.system { o["system"] = .string(system) }
            o["details"] = entry.details.json
            if !stored.messages.isEmpty {
                o["messages"] = .array(stored.messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) })
            }
            o["model_info"] = .object(info)
            if req.verbose, let path = stored.modelPath {
                o["placement"] = try placement(path: path, options: RequestOptions(config: config, modelParameters: stored.parameters,
                                                                                   request: req.options))
            }
            if req.verbose {
                o["tensors"] = .array(entry.tensors.map {
                    .object(["name": .string($0.name), "type": .string($0.type.name), "shape": .array($0.shape.map { .int($0) })])
                })
            }
            o["capabilities"] = .array(entry.capabilities.map { .string($0) })
            o["modified_at"] = .string(Self.time(stored.stored.modifiedAt))
            return HTTPResponses.json(.object(o))
        } catch {
            return HTTPResponses.error(error)
        }
    }

    /// Where this machine would place the model's tensors for these options (docs/placement.md).
    func placement(path: String, options: RequestOptions) throws(APIError) -> JSONValue {
        var planOptions = PlanOptions()
        planOptions.contextLength = options.load.numCtx
        planOptions.parallel = config.numParallel
        planOptions.batchSize = options.load.numBatch
        planOptions.kvType = KVCacheType(rawValue: options.load.kvCacheType) ?? .f16
        do {
            let file = try GGUFFile(path: path)
            planOptions.contextLength = min(planOptions.contextLength, max(ModelSummary(file).contextLength ?? 4, 4))
            return try Planner.plan(file: file, inventory: LocalInventory.detect(), options: planOptions).json
        } catch {
            throw .serverError("cannot plan \(path): \(error)")
        }
    }

    /// `parameters` of `/api/show`: name padded to 30 columns, then the value in Go syntax; lists
    /// repeat the name per element.
    static func parameterLines(_ parameters: [String: JSONValue]) -> String {
        var lines: [String] = []
        for name in parameters.keys.sorted() {
            let values: [JSONValue] = parameters[name]!.arrayValue ?? [parameters[name]!]
            for value in values {
                let text: String
                if case .string(let s) = value { text = GoQuote.quote(s) } else { text = ModelfileRenderer.goText(value) }
                lines.append(name.padding(to: 30) + " " + text)
            }
        }
        return lines.joined(separator: "\n")
    }

    func copy(_ request: Request, _ context: TernContext) async throws -> Response {
        do throws(APIError) {
            let req = try CopyRequest(body: try await Self.body(request))
            guard let source = try? ModelName(parsing: req.source) else { throw .badRequest("source \"\(req.source)\" is invalid") }
            guard let destination = try? ModelName(parsing: req.destination) else {
                throw .badRequest("destination \"\(req.destination)\" is invalid")
            }
            do throws(ModelStoreError) { _ = try store.copy(source, to: destination) } catch {
                if case .modelNotFound = error { throw .notFound("model \"\(req.source)\" not found") }
                throw .serverError(error.description)
            }
            return HTTPResponses.empty()
        } catch {
            return HTTPResponses.error(error)
        }
    }

    func delete(_ request: Request, _ context: TernContext) async throws -> Response {
        do throws(APIError) {
            let req = try DeleteRequest(body: try await Self.body(request))
            let name = try ModelCatalog.parse(req.model)
            do throws(ModelStoreError) {
                let path = try? store.modelBlobPath(name)
                let removed = try store.delete(name)
                // Weights no other model shares are gone from the store: stop serving them too.
                if let path, removed.contains(where: { store.blobs.path(for: $0) == path }) {
                    _ = await scheduler.requestUnload(path: path)
                }
                logger.info("deleted model", metadata: ["model": "\(req.model)", "blobs_removed": "\(removed.count)"])
            } catch {
                if case .modelNotFound = error { throw .modelNotFound(req.model) }
                throw .serverError(error.description)
            }
            return HTTPResponses.empty()
        } catch {
            return HTTPResponses.error(error)
        }
    }

    static func time(_ t: FileTime) -> String {
        Timestamp.format(seconds: t.seconds, nanoseconds: t.nanoseconds, local: true)
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
