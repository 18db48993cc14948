import Hummingbird
import Logging
import JSON
import ModelStore
import OllamaAPI
import Registry

/// `POST /api/pull` and `POST /api/push`: the transfer runs while its status lines stream
/// (§1.4.10, §1.4.11); with `"stream": false` only the final `{"status":"success"}` or the error
/// is sent. A client that hangs up cancels its wait; a download nobody waits for any more stops,
/// its parts kept on disk for the next pull to resume.
extension RegistryService {
    func pull(_ request: Request, _ context: TernContext) async throws -> Response {
        let puller = self.puller
        let logger = self.logger
        return await transfer(request, context, structName: "PullRequest") { req, report in
            try await puller.pull(req.model, insecure: req.insecure, report: report)
            logger.info("pulled model", metadata: ["model": "\(req.model)"])
        }
    }

    func push(_ request: Request, _ context: TernContext) async throws -> Response {
        let pusher = self.pusher
        let logger = self.logger
        return await transfer(request, context, structName: "PushRequest") { req, report in
            try await pusher.push(req.model, insecure: req.insecure, report: report)
            logger.info("pushed model", metadata: ["model": "\(req.model)"])
        }
    }

    private func transfer(_ request: Request, _ context: TernContext, structName: String,
                          _ run: @escaping @Sendable (RegistryTransferRequest, @escaping @Sendable (TransferEvent) async -> Void) async throws -> Void) async -> Response {
        let req: RegistryTransferRequest
        do throws(APIError) {
            req = try RegistryTransferRequest(body: try await API.body(request), structName: structName)
            guard (try? ModelName(parsing: req.model)) != nil else { throw .invalidModelName }
        } catch {
            return HTTPResponses.error(error)
        }
        if !req.stream {
            do {
                try await run(req) { _ in }
                return HTTPResponses.json(.object(["status": .string("success")]))
            } catch {
                return HTTPResponses.error(Self.apiError(error))
            }
        }
        let cancel = CancelFlag()
        context.cancelOnDisconnect(cancel)
        return HTTPResponses.stream(.ndjson, cancel: cancel) { send in
            let (events, continuation) = AsyncStream<TransferEvent>.makeStream()
            let work = Task {
                defer { continuation.finish() }
                try await run(req) { continuation.yield($0) }
            }
            // A failed write means the client is gone: the transfer's waiting ends, and a
            // download no other pull waits for stops.
            for await event in events where !(await send(Self.line(event))) { work.cancel() }
            do {
                try await work.value
            } catch {
                throw Self.apiError(error)
            }
        }
    }

    /// One status line: `{"status":"pulling <12 hex>","digest","total","completed"}` for bytes.
    static func line(_ event: TransferEvent) -> JSONValue {
        switch event {
        case .status(let text):
            return .object(["status": .string(text)])
        case .layer(let verb, let digest, let total, let completed):
            return .object(["status": .string("\(verb) \(digest.shortID)"), "digest": .string(digest.description),
                            "total": .int(total), "completed": .int(completed)])
        }
    }

    /// A registry failure as the API reports it: a missing manifest and a bad name are the
    /// client's (404/400), everything else the server's (500).
    static func apiError(_ error: any Error) -> APIError {
        guard let error = error as? RegistryError else { return .serverError("\(error)") }
        switch error {
        case .manifestNotFound: return .notFound(error.description)
        case .invalidName: return .invalidModelName
        case .insecureProtocol: return .badRequest(error.description)
        default: return .serverError(error.description)
        }
    }
}
