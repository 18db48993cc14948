import GGUF
@testable import Tokenizer

/// Builds small tokenizer-only GGUF files in memory, for tests that need a vocabulary with exactly
/// the tokens they name.
struct SyntheticModel {
    var model = "gpt2"
    var pre: String? = "gpt-2"
    var tokens: [String] = []
    var types: [Int32] = []
    /// Written as `tokenizer.ggml.merges` unless nil (an empty list is a valid list).
    var merges: [String]? = []
    var extra: [(String, GGUFValue)] = []

    /// A byte-level BPE vocabulary: the 256 byte characters (ids 0–255), then `special` tokens with
    /// their GGUF token types, then the results of `merges` (given as byte-level text, "a b").
    static func byteLevel(special: [(String, Int32)] = [], merges: [String] = []) -> SyntheticModel {
        var m = SyntheticModel()
        m.tokens = ByteLevel.utf8ForByte.map { String(decoding: $0, as: UTF8.self) }
        m.types = Array(repeating: 1, count: 256)
        for (text, type) in special {
            m.tokens.append(text)
            m.types.append(type)
        }
        for merge in merges {
            m.tokens.append(merge.split(separator: " ").joined())
            m.types.append(1)
        }
        m.merges = merges
        return m
    }

    func file() throws -> GGUFFile {
        var w = GGUFWriter()
        try w.set("general.architecture", .string("llama"))
        try w.set("tokenizer.ggml.model", .string(model))
        if let pre { try w.set("tokenizer.ggml.pre", .string(pre)) }
        try w.set("tokenizer.ggml.tokens", .array(.string(tokens)))
        if !types.isEmpty { try w.set("tokenizer.ggml.token_type", .array(.int32(types))) }
        if let merges { try w.set("tokenizer.ggml.merges", .array(.string(merges))) }
        for (key, value) in extra { try w.set(key, value) }
        return try GGUFFile(bytes: w.serialized())
    }

    func tokenizer() throws -> Tokenizer { try Tokenizer(file()) }

    func id(of text: String) -> TokenID { TokenID(tokens.lastIndex(of: text)!) }
}
