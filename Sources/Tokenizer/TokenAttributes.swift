/// A token id: an index into the vocabulary (llama.cpp's `llama_token`).
public typealias TokenID = Int32

/// What kind of token an id is, as llama.cpp derives it from `tokenizer.ggml.token_type` plus a few
/// fix-ups by token text. The bit values are llama.cpp's `llama_token_attr`.
public struct TokenAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let unknown = TokenAttributes(rawValue: 1 << 0)
    public static let unused = TokenAttributes(rawValue: 1 << 1)
    public static let normal = TokenAttributes(rawValue: 1 << 2)
    public static let control = TokenAttributes(rawValue: 1 << 3)
    public static let userDefined = TokenAttributes(rawValue: 1 << 4)
    public static let byte = TokenAttributes(rawValue: 1 << 5)
    /// Whitespace right after the token is dropped when the token is split out of text (Phi-3).
    public static let rstrip = TokenAttributes(rawValue: 1 << 8)

    /// Tokens that special-token parsing can split out of text.
    static let splittable: TokenAttributes = [.control, .userDefined, .unknown]
    /// Tokens that are only split out, and only rendered, when special handling is on.
    static let special: TokenAttributes = [.control, .unknown]

    /// The attributes of a `tokenizer.ggml.token_type` value (1 normal … 6 byte; anything else is undefined).
    init(ggufTokenType: Int) {
        switch ggufTokenType {
        case 1: self = .normal
        case 2: self = .unknown
        case 3: self = .control
        case 4: self = .userDefined
        case 5: self = .unused
        case 6: self = .byte
        default: self = []
        }
    }
}
