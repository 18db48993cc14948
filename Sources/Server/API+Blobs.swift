import JSON
import Engine
import Sampling
import Models
import Logging
import GGUF
import Hummingbird
import ModelStore
import NIOCore
import OllamaAPI

extension API {
    /// `HEAD /api/blobs/:digest` (spec §1.4.9).
    func blobExists(_ request: Request, _ context: TernContext, _ text: String) async throws -> Response {
        guard let digest = BlobDigest(text) else { return HTTPResponses.error(.badRequest("invalid digest format")) }
        return store.blobs.exists(digest) ? HTTPResponses.empty() : HTTPResponses.error(.notFound("blob \"\(digest)\" not found"))
    }

    /// `POST /api/blobs/:digest`: the body streams to a temporary file while it is hashed; only a
    /// matching digest becomes visible (201), a mismatch leaves nothing behind (400).
    func uploadBlob(_ request: Request, _ context: TernContext, _ text: String) async throws -> Response {
        guard let digest = BlobDigest(text) else { return HTTPResponses.error(.badRequest("invalid digest format")) }
        if store.blobs.exists(digest) { return HTTPResponses.empty(status: .ok) }
        do throws(ModelStoreError) {
            let writer = try store.blobs.makeWriter(expecting: digest)
            do {
                for try await buffer in request.body {
                    try buffer.withUnsafeReadableBytes { (bytes) throws(ModelStoreError) in try writer.write(bytes) }
                }
            } catch let error as ModelStoreError {
                writer.discard()
                throw error
            } catch {
                writer.discard()
                return HTTPResponses.error(.badRequest("upload of \(digest) interrupted: \(error)"))
            }
            let result = try writer.commit()
            logger.info("stored blob", metadata: ["digest": "\(digest)", "bytes": "\(result.size)"])
            return HTTPResponses.empty(status: result.created ? .created : .ok)
        } catch {
            if case .digestMismatch = error { return HTTPResponses.error(.badRequest(error.description)) }
            return HTTPResponses.error(.serverError(error.description))
        }
    }
}
