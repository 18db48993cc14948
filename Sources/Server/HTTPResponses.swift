import Engine
import Sampling
import Models
import ModelStore
import Logging
import GGUF
import HTTPTypes
import Hummingbird
import JSON
import NIOCore
import OllamaAPI

/// Building the API's responses: JSON bodies, `{"error": …}` errors, plain text, and NDJSON streams.
enum HTTPResponses {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var bytes = value.serialized()
        bytes.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func error(_ error: APIError) -> Response {
        json(.object(["error": .string(error.message)]), status: HTTPResponse.Status(code: error.status))
    }

    static func text(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func empty(status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentLength: "0"])
    }

    /// An NDJSON stream (spec §1.2): `produce` sends objects, each written as one line and flushed.
    /// An error thrown after the first line becomes a final `{"error": …}` line. A failed write
    /// (the client hung up) sets `cancel`; `send` then answers false.
    static func ndjson(cancel: CancelFlag,
                       _ produce: @escaping @Sendable (_ send: @Sendable (JSONValue) async -> Bool) async throws -> Void) -> Response {
        Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: ResponseBody { writer in
            // The producer runs beside the writer: lines cross an unbounded stream, so a slow client
            // never stalls the token loop, and the writer stays in this task.
            let (lines, continuation) = AsyncStream<[UInt8]>.makeStream()
            let producer = Task {
                do {
                    try await produce { value in
                        var bytes = value.serialized()
                        bytes.append(0x0A)
                        continuation.yield(bytes)
                        return !cancel.isCancelled
                    }
                } catch {
                    let message = (error as? APIError)?.message ?? "\(error)"
                    var bytes = JSONValue.object(["error": .string(message)]).serialized()
                    bytes.append(0x0A)
                    continuation.yield(bytes)
                }
                continuation.finish()
            }
            for await line in lines {
                do {
                    try await writer.write(ByteBuffer(bytes: line))
                } catch {
                    cancel.cancel()
                    await producer.value
                    return
                }
            }
            try await writer.finish(nil)
        })
    }
}
