import OllamaAPI

/// The body of `/api/pull` and `/api/push` (§1.4.10, §1.4.11): `model` (legacy `name`),
/// `insecure`, `stream`; the legacy `username`/`password` are accepted and ignored.
struct RegistryTransferRequest: Sendable {
    var model: String
    var insecure: Bool
    var stream: Bool

    init(body: [UInt8], structName: String) throws(APIError) {
        let f = try RequestFields.parse(body, structName: structName)
        model = try f.modelName()
        insecure = try f.bool("insecure") ?? false
        stream = try f.bool("stream") ?? true
    }
}
