import HTTPTypes
import Hummingbird
import JSON
import Logging
import ModelStore
import NIOCore
import Registry

/// The model library: every `tern serve` serves its models over Ollama's registry protocol
/// (`/v2/…`, §5.5) so other Terns pull from it, and pulls and pushes models for `/api/pull` and
/// `/api/push`. Reads are open to anyone who can reach the server; uploads only with
/// `TERN_LIBRARY_PUSH=on` (API keys arrive with the web UI's accounts).
struct RegistryService: Sendable {
    static let manifestType = "application/vnd.docker.distribution.manifest.v2+json"
    /// Disk reads per blob response chunk: large enough that a LAN transfer is not syscall-bound.
    static let chunkLength = 1 << 20

    let store: ModelStore
    let puller: ModelPuller
    let pusher: ModelPusher
    let uploads: RegistryUploads
    let pushEnabled: Bool
    let logger: Logger
    let files = FileIO()

    init(store: ModelStore, mirrors: LibraryMirrors, pushEnabled: Bool, prune: Bool, userAgent: String, apiKey: String?,
         logger: Logger) {
        self.store = store
        let client = RegistryClient(userAgent: userAgent, apiKey: apiKey)
        var puller = ModelPuller(store: store, client: client, downloads: DownloadCoordinator(), mirrors: mirrors)
        puller.removesUnusedLayers = prune
        self.puller = puller
        pusher = ModelPusher(store: store, client: client)
        uploads = RegistryUploads(blobs: store.blobs)
        self.pushEnabled = pushEnabled
        self.logger = logger
    }

    /// Closes the registry client's connections (AsyncHTTPClient requires it before exit).
    func shutdown() async { await puller.client.shutdown() }

    /// Answers any request below `/v2/`.
    func respond(_ request: Request, _ context: TernContext) async throws -> Response {
        guard let path = RegistryPath(request.uri.path) else { return HTTPResponses.text("404 page not found", status: .notFound) }
        switch (path, request.method) {
        case (.base, .get), (.base, .head):
            var response = HTTPResponses.json(.object([:]))
            response.headers[HTTPField.Name("Docker-Distribution-API-Version")!] = "registry/2.0"
            return response
        case (.manifest(let name), .get), (.manifest(let name), .head):
            return manifest(name, headOnly: request.method == .head)
        case (.manifest(let name), .put):
            return await storeManifest(request, name)
        case (.blob(_, _, let digest), .get), (.blob(_, _, let digest), .head):
            return try await blob(digest, request: request, context: context)
        case (.uploads, .post):
            return await startUpload(request)
        case (.upload(_, _, let id), .patch):
            return await continueUpload(request, id: id)
        case (.upload(_, _, let id), .put):
            return await finishUpload(request, id: id)
        case (.upload(_, _, let id), .delete):
            await uploads.cancel(id)
            return HTTPResponses.empty(status: .noContent)
        default:
            return HTTPResponses.text("405 method not allowed", status: .methodNotAllowed)
        }
    }

    // MARK: reading

    /// The manifest bytes as stored (their SHA-256 is the model's ID), found under the default
    /// host first, then under any host, so models pulled from elsewhere are served too.
    private func manifest(_ name: ModelName, headOnly: Bool) -> Response {
        guard let (stored, bytes) = servedManifest(name) else { return RegistryErrors.manifestUnknown(name.displayShortest) }
        var headers: HTTPFields = [.contentType: Self.manifestType, .contentLength: String(bytes.count)]
        headers[HTTPField.Name("Docker-Content-Digest")!] = stored.digest.description
        return Response(status: .ok, headers: headers, body: headOnly ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func servedManifest(_ name: ModelName) -> (StoredManifest, [UInt8])? {
        if let found = try? store.manifestBytes(name) { return found }
        let other = (try? store.list())?.first {
            $0.name.namespace.lowercased() == name.namespace.lowercased() && $0.name.model.lowercased() == name.model.lowercased()
                && $0.name.tag.lowercased() == name.tag.lowercased()
        }
        return other.flatMap { try? store.manifestBytes($0.name) }
    }

    /// A blob streamed from disk in 1 MiB reads, whole or the one byte range asked for.
    private func blob(_ text: String, request: Request, context: TernContext) async throws -> Response {
        guard let digest = BlobDigest(text) else { return RegistryErrors.invalidDigest(text) }
        guard let size = store.blobs.size(of: digest) else { return RegistryErrors.blobUnknown(text) }
        var headers: HTTPFields = [.contentType: "application/octet-stream", .acceptRanges: "bytes"]
        headers[HTTPField.Name("Docker-Content-Digest")!] = digest.description
        let path = store.blobs.path(for: digest)
        switch RegistryByteRange(header: request.headers[.range], size: size) {
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(size)"
            headers[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        case .partial(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            return try await body(path, range: range, status: .partialContent, headers: headers, request: request, context: context)
        case .whole:
            return try await body(path, range: size > 0 ? 0...(size - 1) : nil, status: .ok, headers: headers, request: request, context: context)
        }
    }

    private func body(_ path: String, range: ClosedRange<Int>?, status: HTTPResponse.Status, headers: HTTPFields,
                      request: Request, context: TernContext) async throws -> Response {
        var headers = headers
        headers[.contentLength] = String(range?.count ?? 0)
        guard request.method == .get, let range else { return Response(status: status, headers: headers) }
        let body = try await files.loadFile(path: path, range: range, context: context, chunkLength: Self.chunkLength)
        return Response(status: status, headers: headers, body: body)
    }
}
