/// The four validated parts of a model name.
public enum ModelNamePart: String, Sendable {
    case host, namespace, model, tag
}

/// A name that is not a valid model name, with the part at fault.
public struct ModelNameError: Error, Equatable, CustomStringConvertible {
    /// The text Ollama answers with (400) for any invalid name.
    public static let ollamaMessage = "invalid model name"

    public var name: String
    public var part: ModelNamePart
    public var reason: String

    public var description: String { "invalid model name \"\(name)\": \(part.rawValue) \(reason)" }
}
