import JSON
/// What to build a model from (`/api/create` at library level, §5.9): a base, and the layers a
/// Modelfile or the request's structured fields add or replace.
public struct ModelRecipe: Sendable, Equatable {
    /// Where the weights come from.
    public enum Base: Sendable, Equatable {
        /// A GGUF file already in `blobs/` (uploaded with `/api/blobs`, or imported).
        case gguf(BlobDigest)
        /// An existing model: all its layers are reused.
        case model(ModelName)
    }

    public var base: Base
    /// Replaces the template layer when non-empty (stored verbatim).
    public var template: String?
    /// Replaces the system layer when non-empty.
    public var system: String?
    /// Added as one license layer each, after the base's.
    public var licenses: [String] = []
    /// Merged over the base's params key by key (these win; a new `stop` replaces the old list).
    public var parameters: [String: JSONValue] = [:]
    /// Replaces the messages layer when non-empty.
    public var messages: [ModelMessage] = []
    /// Config fields; empty ones are inherited from a base model.
    public var renderer: String?
    public var parser: String?
    public var requires: String?

    /// A recipe that only names its base.
    public init(base: Base) { self.base = base }

    /// The recipe a parsed Modelfile describes; `base` is what its FROM resolved to
    /// (see `FromArgument`).
    public init(_ modelfile: Modelfile, base: Base) {
        self.base = base
        template = modelfile.template
        system = modelfile.system
        licenses = modelfile.licenses
        parameters = modelfile.parameters
        messages = modelfile.messages
        renderer = modelfile.renderer
        parser = modelfile.parser
        requires = modelfile.requires
    }
}
