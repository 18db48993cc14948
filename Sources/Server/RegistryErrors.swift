import HTTPTypes
import Hummingbird
import JSON
import NIOCore

/// Registry errors in the Docker Registry v2 shape (`{"errors":[{"code","message"}]}`), which
/// registry clients (Ollama's, docker's) parse; Ollama reports a non-404 one as `<code>: <body>`.
enum RegistryErrors {
    static func response(_ status: HTTPResponse.Status, code: String, _ message: String) -> Response {
        var body = JSONValue.object(["errors": .array([.object(["code": .string(code), "message": .string(message)])])]).serialized()
        body.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func manifestUnknown(_ name: String) -> Response { response(.notFound, code: "MANIFEST_UNKNOWN", "manifest unknown: \(name)") }
    static func blobUnknown(_ digest: String) -> Response { response(.notFound, code: "BLOB_UNKNOWN", "blob unknown: \(digest)") }
    static func invalidDigest(_ text: String) -> Response { response(.badRequest, code: "DIGEST_INVALID", "invalid digest \"\(text)\"") }
    static func uploadUnknown(_ id: String) -> Response { response(.notFound, code: "BLOB_UPLOAD_UNKNOWN", "upload \(id) unknown") }
    /// Pushing is off unless `TERN_LIBRARY_PUSH=on`.
    static let pushDisabled = response(.forbidden, code: "DENIED",
                                       "pushing to this Tern is disabled; start it with TERN_LIBRARY_PUSH=on")
}
