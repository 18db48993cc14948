import JSON
import OllamaAPI

/// `/api/show`'s answer (spec §1.4.6): the texts `tern show` prints and the facts its info view lists.
public struct ShowResponse: Sendable {
    public var license: String
    public var modelfile: String
    /// One `name value` line per parameter.
    public var parameters: String
    public var template: String
    public var system: String
    public var details: ModelDetails
    /// Modelfile MESSAGEs, replayed when a chat starts.
    public var messages: [Message]
    /// Flat GGUF metadata: `general.architecture`, `<arch>.context_length`, …
    public var modelInfo: JSONObject
    public var projectorInfo: JSONObject?
    public var tensors: [(name: String, type: String, shape: [Int])]
    public var capabilities: [String]
    public var requires: String

    public init(json o: JSONObject) {
        license = o["license"]?.stringValue ?? ""
        modelfile = o["modelfile"]?.stringValue ?? ""
        parameters = o["parameters"]?.stringValue ?? ""
        template = o["template"]?.stringValue ?? ""
        system = o["system"]?.stringValue ?? ""
        details = ModelDetails(json: o["details"])
        messages = (o["messages"]?.arrayValue ?? []).compactMap { item in
            guard let m = item.objectValue else { return nil }
            return Message(role: m["role"]?.stringValue ?? "", content: m["content"]?.stringValue ?? "")
        }
        modelInfo = o["model_info"]?.objectValue ?? [:]
        projectorInfo = o["projector_info"]?.objectValue
        tensors = (o["tensors"]?.arrayValue ?? []).compactMap { item in
            guard let t = item.objectValue else { return nil }
            return (t["name"]?.stringValue ?? "", t["type"]?.stringValue ?? "", (t["shape"]?.arrayValue ?? []).compactMap(\.intValue))
        }
        capabilities = (o["capabilities"]?.arrayValue ?? []).compactMap(\.stringValue)
        requires = o["requires"]?.stringValue ?? ""
    }
}
