import JSON

extension OllamaClient {
    /// `POST /api/pull`: the server fetches `model` from its registry; one update per status line.
    public func pull(model: String, insecure: Bool) -> AsyncThrowingStream<ProgressUpdate, any Error> {
        lines("/api/pull", body: transferBody(model, insecure), decode: ProgressUpdate.init(json:))
    }

    /// `POST /api/push`: the server sends `model` to the registry its name names.
    public func push(model: String, insecure: Bool) -> AsyncThrowingStream<ProgressUpdate, any Error> {
        lines("/api/push", body: transferBody(model, insecure), decode: ProgressUpdate.init(json:))
    }

    private func transferBody(_ model: String, _ insecure: Bool) -> JSONObject {
        var body: JSONObject = ["model": .string(model)]
        if insecure { body["insecure"] = .bool(true) }
        return body
    }
}
