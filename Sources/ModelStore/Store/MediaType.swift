/// The media types of manifest layers and of the manifest itself (§5.3).
public enum MediaType {
    public static let manifest = "application/vnd.docker.distribution.manifest.v2+json"
    /// The config blob.
    public static let config = "application/vnd.docker.container.image.v1+json"
    /// GGUF weights, one per model.
    public static let model = "application/vnd.ollama.image.model"
    public static let projector = "application/vnd.ollama.image.projector"
    public static let adapter = "application/vnd.ollama.image.adapter"
    public static let draft = "application/vnd.ollama.image.draft"
    public static let template = "application/vnd.ollama.image.template"
    /// The template layer's old name: read, never written.
    public static let legacyPrompt = "application/vnd.ollama.image.prompt"
    public static let system = "application/vnd.ollama.image.system"
    public static let params = "application/vnd.ollama.image.params"
    public static let messages = "application/vnd.ollama.image.messages"
    public static let license = "application/vnd.ollama.image.license"
}
