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

    /// A stream of objects (spec §1.2 NDJSON, or §2.2 server-sent events): `produce` sends
    /// objects, each written and flushed as it comes. An error thrown after the first object
    /// becomes a final error object. A failed write (the client hung up) sets `cancel`; `send`
    /// then answers false.
    static func stream(_ framing: StreamFraming, errorShape: ErrorShape = .native, cancel: CancelFlag,
                       _ produce: @escaping @Sendable (_ send: @Sendable (JSONValue) async -> Bool) async throws -> Void) -> Response {
        Response(status: .ok, headers: [.contentType: framing.contentType], body: ResponseBody { writer in
            // The producer runs beside the writer: objects cross an unbounded stream, so a slow
            // client never stalls the token loop, and the writer stays in this task.
            let (lines, continuation) = AsyncStream<[UInt8]>.makeStream()
            let producer = Task {
                do {
                    try await produce { value in
                        continuation.yield(framing.frame(value))
                        return !cancel.isCancelled
                    }
                    if let end = framing.end { continuation.yield(end) }
                } catch {
                    continuation.yield(framing.frame(errorShape.body(error as? APIError ?? .serverError("\(error)"))))
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

/// How a stream frames its objects.
enum StreamFraming: Sendable {
    /// One compact JSON object per line (the native API).
    case ndjson
    /// `data: <json>` events ending with `data: [DONE]` (the OpenAI layer).
    case serverSentEvents

    var contentType: String { self == .ndjson ? "application/x-ndjson" : "text/event-stream" }

    func frame(_ value: JSONValue) -> [UInt8] {
        switch self {
        case .ndjson: value.serialized() + [0x0A]
        case .serverSentEvents: Array("data: ".utf8) + value.serialized() + [0x0A, 0x0A]
        }
    }

    var end: [UInt8]? { self == .ndjson ? nil : Array("data: [DONE]\n\n".utf8) }
}

/// How errors look: Ollama's `{"error": text}` or OpenAI's `{"error": {message, type, …}}` (spec §2.1).
enum ErrorShape: Sendable {
    case native, openAI

    func body(_ error: APIError) -> JSONValue {
        switch self {
        case .native: return .object(["error": .string(error.message)])
        case .openAI:
            let type = error.status == 400 ? "invalid_request_error" : error.status == 404 ? "not_found_error" : "api_error"
            return .object(["error": .object(["message": .string(error.message), "type": .string(type), "param": .null, "code": .null])])
        }
    }

    func response(_ error: APIError) -> Response {
        HTTPResponses.json(body(error), status: HTTPResponse.Status(code: error.status))
    }
}
