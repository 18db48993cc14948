/// The media types of manifest layers and of the manifest itself (§5.3).
public enum MediaType {
    /// The manifest document itself.
    public static let manifest = "application/vnd.docker.distribution.manifest.v2+json"
    /// The config blob.
    public static let config = "application/vnd.docker.container.image.v1+json"
    /// GGUF weights, one per model.
    public static let model = "application/vnd.ollama.image.model"
    /// Vision/audio projector GGUF, 0..n.
    public static let projector = "application/vnd.ollama.image.projector"
    /// LoRA adapter GGUF, 0..n.
    public static let adapter = "application/vnd.ollama.image.adapter"
    /// Draft model for speculative decoding.
    public static let draft = "application/vnd.ollama.image.draft"
    /// Go template text.
    public static let template = "application/vnd.ollama.image.template"
    /// The template layer's old name: read, never written.
    public static let legacyPrompt = "application/vnd.ollama.image.prompt"
    /// System prompt text.
    public static let system = "application/vnd.ollama.image.system"
    /// JSON object of options.
    public static let params = "application/vnd.ollama.image.params"
    /// JSON array of `{"role","content"}`.
    public static let messages = "application/vnd.ollama.image.messages"
    /// License text, one layer per license.
    public static let license = "application/vnd.ollama.image.license"
}
