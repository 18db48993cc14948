import JSON
/// One Modelfile MESSAGE: a conversation turn placed before every chat.
public struct ModelMessage: Hashable, Sendable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    /// The messages layer: a JSON array of `{"role","content"}` as Go encodes `[]api.Message`.
    static func jsonBytes(_ messages: [ModelMessage]) -> [UInt8] {
        GoJSONEncoder.encode(.list(messages.map {
            .structure([("role", .value(.string($0.role))), ("content", .value(.string($0.content)))])
        }))
    }

    /// Reads a messages layer; fields other than role and content (images, tool calls) are ignored.
    static func decode(_ bytes: [UInt8]) throws(JSONError) -> [ModelMessage] {
        guard let items = try JSONParser.parse(bytes).arrayValue else {
            throw JSONError(offset: 0, message: "messages are not an array")
        }
        return items.map {
            ModelMessage(role: $0.objectValue?["role"]?.stringValue ?? "", content: $0.objectValue?["content"]?.stringValue ?? "")
        }
    }
}
