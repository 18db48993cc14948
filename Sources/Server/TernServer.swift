import Placement
import JSON
import Engine
import Sampling
import Models
import GGUF
import Hummingbird
import Logging
import ModelStore
import NIOCore
import OllamaAPI
import ServiceLifecycle
import WebAuth
import WebStore

/// Why `tern serve` could not start.
public enum ServerStartError: Error, CustomStringConvertible {
    case webStore(WebStoreError)

    public var description: String {
        switch self {
        case .webStore(let error): "cannot open the web UI's database (set TERN_DB to move it): \(error)"
        }
    }
}

/// `tern serve`: binds the API, prints its configuration, and runs until SIGTERM/SIGINT, when it
/// stops accepting, ends in-flight streams with a final line, and exits.
public enum TernServer {
    public static func run(config: ServerConfig, onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        var logger = Logger(label: "tern")
        logger.logLevel = config.debug ? .debug : .info
        for (name, value) in config.summary { logger.info("config", metadata: ["\(name)": "\(value)"]) }
        for warning in config.warnings { logger.warning("\(warning)") }
        let inventory = LocalInventory.detect()
        logger.info("inventory", metadata: ["ram": "\(ByteSize.format(inventory.ram.totalBytes))", "cores": "\(inventory.cores)",
                                            "gpus": "\(inventory.gpus.map(\.name))"])
        if inventory.gpus.isEmpty {
            logger.info("no GPU found: models run on the CPU")
        } else {
            logger.warning("\(inventory.gpus.count) GPU(s) found, but this build has no GPU backend yet: models run on the CPU (tern plan shows where they would go)")
        }
        let store = ModelStore(root: config.modelsRoot)
        if config.prune { prune(store, logger: logger) } else { logger.info("pruning disabled: blobs/ is left as it is") }
        let scheduler = Scheduler(config: config, memory: MemoryBudget(limit: config.memoryLimit), logger: logger)
        let api = API(config: config, catalog: ModelCatalog(store: store), scheduler: scheduler, logger: logger)
        let registry = RegistryService(store: store, mirrors: config.library, pushEnabled: config.libraryPush, prune: config.prune,
                                       userAgent: "ollama/\(API.compatibleVersion) (amd64 linux) Go/go1.24.0 tern", apiKey: config.apiKey,
                                       logger: logger)
        let routes = Routes(api, registry: registry)
        let webStore: WebStore
        do throws(WebStoreError) { webStore = try WebStore(path: config.databasePath) } catch { throw ServerStartError.webStore(error) }
        let policy = AccessPolicy(mode: config.auth, loopbackBind: config.host.isLoopback)
        let gate = WebGate(store: webStore, policy: policy)
        let web = WebRoutes(store: webStore, throttle: LoginThrottle(), policy: policy, logger: logger)
        logger.info("web UI", metadata: ["api_requires_auth": "\(policy.apiRequiresAuth)", "db": "\(config.databasePath)"])
        let origins = OriginPolicy(extra: config.origins)
        let checkHost = config.host.isLoopback || config.host.host == "localhost"
        let hostname = HostCheck.machineHostname
        let responder = CallbackResponder<TernContext> { request, context in
            if checkHost, !HostCheck.allows(hostHeader: request.head.authority, localHostname: hostname) {
                return HTTPResponses.empty(status: .forbidden)
            }
            let origin = request.headers[.origin]
            // The UI's own page calls back to wherever the browser reached it, which on a network bind is no built-in origin.
            if let origin, !origins.allows(origin), !WebGate.isSameOriginOrNone(request) { return HTTPResponses.empty(status: .forbidden) }
            var response: Response
            if request.method == .options, origin != nil {
                response = HTTPResponses.empty(status: .noContent)
                response.headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"
                response.headers[.accessControlAllowHeaders] = OriginPolicy.allowedHeaders.joined(separator: ", ")
                response.headers[.accessControlMaxAge] = "43200"
            } else {
                let user: User?
                do throws(WebStoreError) { user = try await gate.user(request) } catch { return HTTPResponses.error(error.apiError) }
                if let refusal = gate.refusal(request, user: user) {
                    response = refusal
                } else if let page = await web.respond(request, context, user: user) {
                    response = page
                } else {
                    response = try await routes.respond(request, context)
                }
            }
            if let origin {
                response.headers[.accessControlAllowOrigin] = origin
                response.headers[.vary] = "Origin"
            }
            return response
        }
        let startLogger = logger
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(config.host.host, port: config.host.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.host.port
                startLogger.info("Listening on \(config.host.host):\(port) (version \(API.compatibleVersion))")
                onReady(port)
            },
            logger: logger)
        try await app.runService()
        await registry.shutdown()
        await scheduler.unloadAll()
    }

    /// Start-up garbage collection, as Ollama's (§5.1): blobs no model uses and downloads or
    /// uploads nobody has touched for an hour. Nothing is in progress yet in this process, and a
    /// transfer another process is running keeps its files fresh. A failure is logged, not fatal:
    /// serving the models matters more than tidying.
    private static func prune(_ store: ModelStore, logger: Logger) {
        do throws(ModelStoreError) {
            let report = try store.prune()
            guard !report.removedBlobs.isEmpty || !report.removedFiles.isEmpty || !report.renamedFiles.isEmpty else { return }
            logger.info("pruned blobs/", metadata: ["unused blobs": "\(report.removedBlobs.count)",
                                                   "stale files": "\(report.removedFiles.count)",
                                                   "renamed legacy blobs": "\(report.renamedFiles.count)"])
        } catch {
            logger.warning("pruning blobs/ failed: \(error)")
        }
    }
}
