import HTTPTypes
import Hummingbird
import Logging
import ModelStore
import NIOCore

/// Receiving a push (§5.8 from the registry's side): `POST …/blobs/uploads/` opens an upload,
/// `PATCH` appends a part (`Content-Range: <start>-<end>` must continue where it stands),
/// `PUT ?digest=` finishes it, and `PUT …/manifests/<tag>` stores the model once its blobs are here.
extension RegistryService {
    func startUpload(_ request: Request) async -> Response {
        guard pushEnabled else { return RegistryErrors.pushDisabled }
        do throws(RegistryUploads.Failure) {
            let id = try await uploads.start()
            return accepted(request.uri.path + id, received: 0, id: id)
        } catch {
            return failure(error)
        }
    }

    func continueUpload(_ request: Request, id: String) async -> Response {
        guard pushEnabled else { return RegistryErrors.pushDisabled }
        do throws(RegistryUploads.Failure) {
            if let range = request.headers[.contentRange], let start = Int(range.split(separator: "-").first ?? "") {
                try await uploads.expect(id, startingAt: start)
            }
            try await append(request, id: id)
            return accepted(request.uri.path, received: try await uploads.received(id), id: id)
        } catch {
            return failure(error)
        }
    }

    func finishUpload(_ request: Request, id: String) async -> Response {
        guard pushEnabled else { return RegistryErrors.pushDisabled }
        let text = request.uri.queryParameters["digest"].map(String.init) ?? ""
        guard let digest = BlobDigest(text) else { return RegistryErrors.invalidDigest(text) }
        do throws(RegistryUploads.Failure) {
            try await append(request, id: id)
            let result = try await uploads.finish(id, digest: digest)
            logger.info("received blob", metadata: ["digest": "\(digest)", "bytes": "\(result.size)"])
            var headers: HTTPFields = [.location: request.uri.path.replacing("/uploads/\(id)", with: "/\(digest)"), .contentLength: "0"]
            headers[HTTPField.Name("Docker-Content-Digest")!] = digest.description
            return Response(status: .created, headers: headers)
        } catch {
            return failure(error)
        }
    }

    func storeManifest(_ request: Request, _ name: ModelName) async -> Response {
        guard pushEnabled else { return RegistryErrors.pushDisabled }
        let bytes: [UInt8]
        do { bytes = Array(try await request.body.collect(upTo: 16 << 20).readableBytesView) } catch {
            return RegistryErrors.response(.badRequest, code: "MANIFEST_INVALID", "cannot read the manifest: \(error)")
        }
        do throws(ModelStoreError) {
            let stored = try store.writeManifest(bytes: bytes, for: name)
            logger.info("received model", metadata: ["model": "\(stored.name.displayShortest)"])
            var headers: HTTPFields = [.contentLength: "0"]
            headers[HTTPField.Name("Docker-Content-Digest")!] = stored.digest.description
            return Response(status: .created, headers: headers)
        } catch {
            switch error {
            case .blobNotFound(let digest): return RegistryErrors.response(.badRequest, code: "MANIFEST_BLOB_UNKNOWN", "blob unknown: \(digest)")
            case .corruptManifest: return RegistryErrors.response(.badRequest, code: "MANIFEST_INVALID", error.description)
            default: return RegistryErrors.response(.internalServerError, code: "UNKNOWN", error.description)
            }
        }
    }

    /// Streams the request body into the upload; a body that breaks off drops the upload.
    private func append(_ request: Request, id: String) async throws(RegistryUploads.Failure) {
        do {
            for try await buffer in request.body { try await uploads.append(id, buffer) }
        } catch let failure as RegistryUploads.Failure {
            throw failure
        } catch {
            await uploads.cancel(id)
            throw .unknown(id)
        }
    }

    /// `202 Accepted` naming where the next part goes and what has arrived (`Range: 0-<last>`).
    private func accepted(_ location: String, received: Int, id: String) -> Response {
        var headers: HTTPFields = [.location: location, .range: "0-\(max(received - 1, 0))", .contentLength: "0"]
        headers[HTTPField.Name("Docker-Upload-UUID")!] = id
        return Response(status: .accepted, headers: headers)
    }

    private func failure(_ error: RegistryUploads.Failure) -> Response {
        switch error {
        case .unknown(let id): return RegistryErrors.uploadUnknown(id)
        case .outOfOrder(let expected, let got):
            return RegistryErrors.response(.rangeNotSatisfiable, code: "BLOB_UPLOAD_INVALID", "part starts at \(got), upload is at \(expected)")
        case .store(.digestMismatch(let expected, let actual)):
            return RegistryErrors.response(.badRequest, code: "DIGEST_INVALID", "digest mismatch, expected \"\(expected)\", got \"\(actual)\"")
        case .store(let error):
            return RegistryErrors.response(.internalServerError, code: "UNKNOWN", error.description)
        }
    }
}
