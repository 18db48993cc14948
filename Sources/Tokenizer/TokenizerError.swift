import GGUF

/// Why a tokenizer could not be built from a GGUF file. `description` is the one line a user sees.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// A required key is missing or has the wrong type.
    case metadata(GGUFError)
    /// `tokenizer.ggml.model` names a tokenizer Tern does not implement.
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer Tern does not implement; guessing would give wrong ids.
    case unsupportedPreTokenizer(String)
    /// A per-token array is shorter than the token list.
    case arrayTooShort(key: String, count: Int, tokens: Int)
    /// The metadata asks for a BOS or EOS token to be added but names no such token.
    case missingSpecialToken(String)

    public var description: String {
        switch self {
        case .metadata(let error): "tokenizer metadata: \(error.description)"
        case .unsupportedModel(let name):
            "tokenizer.ggml.model '\(name)' is not supported (supported: gpt2, llama)"
        case .unsupportedPreTokenizer(let name):
            "tokenizer.ggml.pre '\(name)' is not supported, so its ids would be wrong (supported: \(PreTokenizer.supportedNames.joined(separator: ", ")))"
        case .arrayTooShort(let key, let count, let tokens):
            "\(key) has \(count) entries but there are \(tokens) tokens"
        case .missingSpecialToken(let what):
            "the vocabulary must add a \(what) token but has none"
        }
    }
}
