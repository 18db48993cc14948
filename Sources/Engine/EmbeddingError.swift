import Models

/// Why text cannot be embedded. Descriptions are Ollama's words where Ollama has them, so the
/// server can pass them on unchanged.
public enum EmbeddingError: Error, Equatable, CustomStringConvertible {
    /// More tokens than the context holds, with truncation turned off.
    case inputTooLong(tokens: Int, context: Int)
    /// Nothing to embed: empty text on a vocabulary that adds no BOS.
    case emptyInput
    /// The model produced NaN or ±infinity (at the first such index); JSON cannot carry it.
    case nonFinite(index: Int)
    /// The model refused: a pooling it cannot do, a cache type it cannot keep.
    case model(ModelError)

    public var description: String {
        switch self {
        case .inputTooLong: "the input length exceeds the context length"
        case .emptyInput: "the input is empty"
        case .nonFinite(let i): "the embedding is not finite (value \(i) is NaN or infinite)"
        case .model(let e): e.description
        }
    }
}
