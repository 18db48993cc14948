import AsyncHTTPClient
import ModelStore
import NIOCore
import NIOHTTP1
import NIOPosix

/// The registry protocol's requests (§5.5–§5.8) over one connection pool. Redirects are followed
/// (ollama.com sends blob downloads to a CDN); a connection that delivers nothing for 30 s fails,
/// which the downloader treats as a stalled part and retries. A connection that cannot be opened
/// fails its request at once instead of being retried for the connect timeout: the pull then
/// passes to the next `TERN_LIBRARY` mirror without waiting 10 s on one that is down, and the
/// downloader's own retries (with backoff) cover a blob range.
public final class RegistryClient: Sendable {
    static let manifestType = "application/vnd.docker.distribution.manifest.v2+json"
    let http: HTTPClient
    let userAgent: String

    /// An API key sent as `Authorization: Bearer` to every registry: the Terns this one pushes to
    /// (or pulls from) may require one (their `TERN_AUTH`).
    let apiKey: String?

    /// `userAgent` keeps Ollama's `ollama/<version>` prefix, which some registries key on.
    public init(userAgent: String, apiKey: String? = nil) {
        self.userAgent = userAgent
        self.apiKey = apiKey
        var configuration = HTTPClient.Configuration(redirectConfiguration: .follow(max: 10, allowCycles: false))
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    public func shutdown() async { try? await http.shutdown() }

    /// The manifest's bytes exactly as served (its SHA-256 is the model's ID).
    func manifest(_ endpoint: RegistryEndpoint) async throws(RegistryError) -> [UInt8] {
        var request = request(.GET, endpoint.manifestURL)
        request.headers.add(name: "Accept", value: Self.manifestType)
        let response = try await send(request, notFound: .manifestNotFound(endpoint.description))
        return try await collect(response, url: endpoint.manifestURL, limit: 16 << 20)
    }

    /// Whether the registry holds the blob (HEAD, 200 or 404).
    func hasBlob(_ digest: BlobDigest, at endpoint: RegistryEndpoint) async throws(RegistryError) -> Bool {
        let url = endpoint.blobURL(digest)
        do throws(RegistryError) {
            _ = try await send(request(.HEAD, url), notFound: .status(404, body: "blob not found", url: url))
            return true
        } catch .status(404, _, _) {
            return false
        }
    }

    /// Delivers `range` of the blob at `url` to `sink`. The registry must honour the range (206
    /// from the range's first byte); a 200 is accepted only for a range that starts at 0.
    func fetch(_ url: String, range: ClosedRange<Int>, into sink: (ByteBuffer) throws -> Void) async throws {
        var request = request(.GET, url)
        request.headers.add(name: "Range", value: "bytes=\(range.lowerBound)-\(range.upperBound)")
        let response = try await send(request, notFound: .status(404, body: "blob not found", url: url))
        switch response.status.code {
        case 206:
            let contentRange = response.headers.first(name: "Content-Range") ?? ""
            guard contentRange.hasPrefix("bytes \(range.lowerBound)-") else {
                throw RegistryError.badResponse(url: url, reason: "Content-Range \"\(contentRange)\" for bytes=\(range.lowerBound)-\(range.upperBound)")
            }
        case 200 where range.lowerBound == 0:
            break
        default:
            throw RegistryError.badResponse(url: url, reason: "status \(response.status.code) for a range request")
        }
        do {
            for try await buffer in response.body { try sink(buffer) }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError.transport(url: url, reason: "\(error)")
        }
    }

    /// `POST …/blobs/uploads/`: the URL to send the blob's parts to.
    func startUpload(at endpoint: RegistryEndpoint) async throws(RegistryError) -> String {
        var request = request(.POST, endpoint.uploadsURL)
        request.headers.add(name: "Content-Length", value: "0")
        let response = try await send(request, notFound: .status(404, body: "upload not found", url: endpoint.uploadsURL))
        return try location(response, endpoint: endpoint, url: endpoint.uploadsURL)
    }

    /// `PATCH <upload URL>` with one part (`Content-Range: <start>-<end>`, no `bytes` prefix);
    /// answers the URL for the next part.
    func uploadPart(to url: String, endpoint: RegistryEndpoint, range: ClosedRange<Int>,
                    body: HTTPClientRequest.Body) async throws(RegistryError) -> String {
        var request = request(.PATCH, url)
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.headers.add(name: "Content-Range", value: "\(range.lowerBound)-\(range.upperBound)")
        request.body = body
        let response = try await send(request, notFound: .status(404, body: "upload not found", url: url))
        _ = try? await response.body.collect(upTo: 1 << 20)
        return try location(response, endpoint: endpoint, url: url)
    }

    /// `PUT <upload URL>?digest=sha256:<hex>`: the registry checks the digest and stores the blob.
    func finishUpload(to url: String, digest: BlobDigest) async throws(RegistryError) {
        let separator = url.contains("?") ? "&" : "?"
        var request = request(.PUT, url + separator + "digest=" + digest.description)
        request.headers.add(name: "Content-Length", value: "0")
        let response = try await send(request, notFound: .status(404, body: "upload not found", url: url))
        _ = try? await response.body.collect(upTo: 1 << 20)
    }

    /// `PUT …/manifests/<tag>` with the manifest's bytes.
    func putManifest(_ bytes: [UInt8], at endpoint: RegistryEndpoint) async throws(RegistryError) {
        var request = request(.PUT, endpoint.manifestURL)
        request.headers.add(name: "Content-Type", value: Self.manifestType)
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response = try await send(request, notFound: .status(404, body: "repository not found", url: endpoint.manifestURL))
        _ = try? await response.body.collect(upTo: 1 << 20)
    }

    // MARK: transport

    private func request(_ method: HTTPMethod, _ url: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: userAgent)
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        return request
    }

    /// Sends `request`; 404 becomes `notFound`, any other status ≥ 400 `<code>: <body>`.
    private func send(_ request: HTTPClientRequest, notFound: RegistryError) async throws(RegistryError) -> HTTPClientResponse {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, deadline: .distantFuture)
        } catch {
            if error is CancellationError { throw .transport(url: request.url, reason: "cancelled") }
            throw .transport(url: request.url, reason: "\(error)")
        }
        let code = Int(response.status.code)
        guard code >= 400 else { return response }
        if code == 404 { throw notFound }
        let body = (try? await response.body.collect(upTo: 1 << 16)).map { String(buffer: $0) } ?? ""
        throw .status(code, body: body.trimmingSpaces().replacing("\n", with: " "), url: request.url)
    }

    private func collect(_ response: HTTPClientResponse, url: String, limit: Int) async throws(RegistryError) -> [UInt8] {
        do {
            return Array(try await response.body.collect(upTo: limit).readableBytesView)
        } catch {
            throw .transport(url: url, reason: "\(error)")
        }
    }

    private func location(_ response: HTTPClientResponse, endpoint: RegistryEndpoint, url: String) throws(RegistryError) -> String {
        guard let location = response.headers.first(name: "Docker-Upload-Location") ?? response.headers.first(name: "Location") else {
            throw .badResponse(url: url, reason: "no Location for the upload")
        }
        return endpoint.absolute(location)
    }
}

/// A blob in a registry as a `BlobSource` for the downloader.
struct RegistryBlobSource: BlobSource {
    let client: RegistryClient
    let url: String

    func fetch(_ range: ClosedRange<Int>, into sink: (ByteBuffer) throws -> Void) async throws {
        try await client.fetch(url, range: range, into: sink)
    }
}
