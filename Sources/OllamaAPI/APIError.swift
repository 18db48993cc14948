/// An error the API answers with: an HTTP status and the `{"error": message}` text. Messages are
/// worded as Ollama words them where clients match on them (spec §1.1).
public struct APIError: Error, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    public static func badRequest(_ message: String) -> APIError { APIError(status: 400, message) }
    public static func notFound(_ message: String) -> APIError { APIError(status: 404, message) }
    public static func serverError(_ message: String) -> APIError { APIError(status: 500, message) }

    public static let missingBody = badRequest("missing request body")
    public static let invalidModelName = badRequest("invalid model name")
    /// The queue of requests waiting for a model is full (two spaces, as Ollama writes it).
    public static let serverBusy = APIError(status: 503, "server busy, please try again.  maximum pending requests exceeded")
    /// The client went away while its request waited.
    public static let requestCanceled = APIError(status: 499, "request canceled")

    /// `model 'NAME' not found`, the text generate/chat/show/delete/embed use.
    public static func modelNotFound(_ name: String) -> APIError { notFound("model '\(name)' not found") }
}
