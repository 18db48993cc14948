#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import JSON
import NIOCore
import NIOHTTP1
import NIOPosix
import OllamaAPI

/// The CLI's connection to a running `tern serve` (or Ollama): one method per API call, errors
/// as `ClientError`, streamed answers as `AsyncThrowingStream`s of decoded lines.
public final class OllamaClient: Sendable {
    /// `scheme://host:port[/path]`, without a trailing slash; request paths are appended to it.
    public let baseURL: String
    private let http: HTTPClient
    /// `TERN_API_KEY`, sent as `Authorization: Bearer` to a server that requires credentials.
    private let apiKey: String?

    /// The server named by `TERN_HOST`, else `OLLAMA_HOST`, else `127.0.0.1:11434`.
    public static func environmentAddress() -> HostAddress {
        for name in ["TERN_HOST", "OLLAMA_HOST"] {
            if let value = getenv(name).map({ String(cString: $0) }), value.contains(where: { !$0.isWhitespace }) {
                return HostAddress(parsing: value)
            }
        }
        return HostAddress()
    }

    /// Runs `body` with a client for `address` and shuts the connection pool down afterwards.
    public static func with<T>(address: HostAddress = environmentAddress(),
                               _ body: (OllamaClient) async throws -> T) async throws -> T {
        let client = OllamaClient(address: address)
        do {
            let result = try await body(client)
            try? await client.http.shutdown()
            return result
        } catch {
            try? await client.http.shutdown()
            throw error
        }
    }

    private init(address: HostAddress) {
        // An unspecified address (0.0.0.0, ::) is where a server listens, not one to connect to.
        var url = address.connectable.description
        while url.hasSuffix("/") { url.removeLast() }
        baseURL = url
        var configuration = HTTPClient.Configuration()
        // Fail at once when nothing listens, instead of retrying until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10), read: nil)
        http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        apiKey = getenv("TERN_API_KEY").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    // MARK: Plain requests

    /// `HEAD /`: is a server there at all.
    public func heartbeat() async throws(ClientError) {
        try await fetch(.HEAD, "/")
    }

    /// The server's version string.
    public func version() async throws(ClientError) -> String {
        try await object(.GET, "/api/version")["version"]?.stringValue ?? ""
    }

    /// The local models, newest first.
    public func tags() async throws(ClientError) -> [ListedModel] {
        try await object(.GET, "/api/tags")["models"]?.arrayValue?.map(ListedModel.init(json:)) ?? []
    }

    /// The loaded models.
    public func ps() async throws(ClientError) -> [RunningModel] {
        try await object(.GET, "/api/ps")["models"]?.arrayValue?.map(RunningModel.init(json:)) ?? []
    }

    /// A model's details; `system` and `options` are the session's overrides, which the
    /// rendered Modelfile then shows.
    public func show(model: String, verbose: Bool = false, system: String? = nil,
                     options: JSONObject = [:]) async throws(ClientError) -> ShowResponse {
        var body: JSONObject = ["model": .string(model)]
        if verbose { body["verbose"] = .bool(true) }
        if let system { body["system"] = .string(system) }
        if !options.isEmpty { body["options"] = .object(options) }
        return ShowResponse(json: try await object(.POST, "/api/show", body: body))
    }

    public func copy(source: String, destination: String) async throws(ClientError) {
        try await fetch(.POST, "/api/copy", body: ["source": .string(source), "destination": .string(destination)])
    }

    public func delete(model: String) async throws(ClientError) {
        try await fetch(.DELETE, "/api/delete", body: ["model": .string(model)])
    }

    // MARK: Blobs

    /// Whether the server already holds the blob `digest` (`sha256:<hex>`).
    public func blobExists(_ digest: String) async throws(ClientError) -> Bool {
        do {
            try await fetch(.HEAD, "/api/blobs/" + digest)
            return true
        } catch where error.status == 404 {
            return false
        }
    }

    /// Uploads `file` as the blob `digest`, streamed from disk; `progress` gets the bytes sent so far.
    public func uploadBlob(_ file: LocalFile, digest: String,
                           progress: @escaping @Sendable (Int) -> Void) async throws(ClientError) {
        var request = HTTPClientRequest(url: baseURL + "/api/blobs/" + digest)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = .stream(FileUploadBody(file: file, progress: progress), length: .known(Int64(file.size)))
        _ = try await execute(request)
    }

    // MARK: Streams

    /// `POST /api/create` with `body`; one update per status line.
    public func create(_ body: JSONObject) -> AsyncThrowingStream<ProgressUpdate, any Error> {
        lines("/api/create", body: body, decode: ProgressUpdate.init(json:))
    }

    /// `POST /api/generate`: the completion of `prompt`, streamed. An empty prompt only loads
    /// the model (or unloads it, with a zero keep-alive).
    public func generate(model: String, prompt: String, settings: GenerationSettings) -> AsyncThrowingStream<GenerateChunk, any Error> {
        var body: JSONObject = ["model": .string(model), "prompt": .string(prompt)]
        if let system = settings.system { body["system"] = .string(system) }
        settings.add(to: &body)
        return lines("/api/generate", body: body, decode: GenerateChunk.init(json:))
    }

    /// `POST /api/chat`: the assistant's answer to `messages`, streamed.
    public func chat(model: String, messages: [Message], settings: GenerationSettings) -> AsyncThrowingStream<ChatChunk, any Error> {
        var body: JSONObject = ["model": .string(model), "messages": .array(messages.map(\.json))]
        settings.add(to: &body)
        return lines("/api/chat", body: body, decode: ChatChunk.init(json:))
    }

    /// The NDJSON answer to a POST, one decoded object per line. A line with an `error` key ends
    /// the stream with that message; cancelling the consumer cancels the request.
    func lines<Element: Sendable>(_ path: String, body: JSONObject,
                                          decode: @escaping @Sendable (JSONObject) -> Element) -> AsyncThrowingStream<Element, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do throws(ClientError) {
                    let response = try await start(.POST, path, body: body)
                    var splitter = NDJSONSplitter()
                    do {
                        for try await buffer in response.body {
                            for line in splitter.feed(buffer.readableBytesView) {
                                continuation.yield(decode(try Self.decodeLine(line, status: Int(response.status.code))))
                            }
                        }
                    } catch {
                        throw Self.classify(error)
                    }
                    if let last = splitter.finish() {
                        continuation.yield(decode(try Self.decodeLine(last, status: Int(response.status.code))))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    static func decodeLine(_ line: [UInt8], status: Int) throws(ClientError) -> JSONObject {
        guard let object = (try? JSONParser.parse(line))?.objectValue else {
            throw .malformedResponse(String(decoding: line.prefix(200), as: UTF8.self))
        }
        if let message = object["error"]?.stringValue { throw .server(status: status, message: message) }
        return object
    }

    // MARK: Transport

    private func object(_ method: HTTPMethod, _ path: String, body: JSONObject? = nil) async throws(ClientError) -> JSONObject {
        let bytes = try await fetch(method, path, body: body)
        guard let object = (try? JSONParser.parse(bytes))?.objectValue else {
            throw .malformedResponse(String(decoding: bytes.prefix(200), as: UTF8.self))
        }
        return object
    }

    /// Sends a request whose answer is small and read whole; error statuses become `ClientError.server`.
    @discardableResult
    private func fetch(_ method: HTTPMethod, _ path: String, body: JSONObject? = nil) async throws(ClientError) -> [UInt8] {
        let response = try await start(method, path, body: body)
        do {
            return Array(try await response.body.collect(upTo: 1 << 28).readableBytesView)
        } catch {
            throw Self.classify(error)
        }
    }

    /// Sends a request and returns once the answer's head arrived, its body still to be read.
    private func start(_ method: HTTPMethod, _ path: String, body: JSONObject? = nil) async throws(ClientError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: JSONValue.object(body).serialized()))
        }
        return try await execute(request)
    }

    private func execute(_ request: HTTPClientRequest) async throws(ClientError) -> HTTPClientResponse {
        var request = request
        if let apiKey { request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(apiKey)") }
        let response: HTTPClientResponse
        do {
            // No deadline: a model may take minutes to load before the first line comes.
            response = try await http.execute(request, deadline: .distantFuture)
        } catch {
            throw Self.classify(error)
        }
        guard response.status.code >= 400 else { return response }
        let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
        throw Self.statusError(Int(response.status.code), body: body)
    }

    /// The error an error status carries: the body's `error` text, else the body itself (a
    /// plain-text 404 from a proxy), as Ollama's client reports it.
    static func statusError(_ status: Int, body: [UInt8]) -> ClientError {
        if let message = (try? JSONParser.parse(body))?.objectValue?["error"]?.stringValue {
            return .server(status: status, message: message)
        }
        let text = String(decoding: body, as: UTF8.self)
        return .server(status: status, message: String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()))
    }

    /// A transport failure as the CLI reports it: a refused connection is the server not running.
    static func classify(_ error: any Error) -> ClientError {
        if let error = error as? ClientError { return error }
        if isConnectionRefused(error) { return .cannotConnect }
        return .transport(String(describing: error))
    }

    private static func isConnectionRefused(_ error: any Error) -> Bool {
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
        if let error = error as? NIOConnectionError {
            return !error.connectionErrors.isEmpty && error.connectionErrors.allSatisfy { isConnectionRefused($0.error) }
        }
        return false
    }
}
