import GGUF

/// A model's vocabulary as llama.cpp loads it from GGUF metadata: token texts, scores and kinds, the
/// special ids, when BOS/EOS are added, and which tokens end generation.
public struct Vocabulary: Sendable {
    /// Which tokenizer the vocabulary is for.
    public enum Model: Sendable, Equatable {
        /// `tokenizer.ggml.model = gpt2`: byte-level BPE with merges, after a pre-tokenizer.
        case bytePairEncoding(PreTokenizer)
        /// `tokenizer.ggml.model = llama`: SentencePiece merges driven by token scores, with byte fallback.
        case sentencePiece
    }

    /// The tokenizer the vocabulary is for, with its pre-tokenizer for BPE.
    public let model: Model
    /// Per-token score (SentencePiece merge priority); 0 where the file has none.
    public let scores: [Float]
    /// Per-token kind.
    public let attributes: [TokenAttributes]
    public let specialTokens: SpecialTokens
    /// `add_special` encoding starts with BOS.
    public let addsBOS: Bool
    /// `add_special` encoding ends with EOS.
    public let addsEOS: Bool
    /// SentencePiece text gets a leading space at its start and after each special token, and decoding
    /// drops the first token's leading space.
    public let addsSpacePrefix: Bool
    /// Tokens that end generation (EOS, EOT, EOM and llama.cpp's list of such texts).
    public let endOfGeneration: Set<TokenID>

    /// All token texts, concatenated; token `i` is `textBytes[textStarts[i] ..< textStarts[i + 1]]`.
    private let textBytes: [UInt8]
    private let textStarts: [Int32]
    /// Text → id; for duplicate texts the last id wins, as in llama.cpp.
    let idsByText: ByteStringTable
    /// Tokens that special-token parsing can split out of text, longest first (ties: lower id first).
    let splittableTokens: [TokenID]
    /// Decoding removes the space before `?!.,` and some apostrophes.
    let cleansSpaces: Bool

    /// The number of tokens; ids run from 0 to `count - 1`.
    public var count: Int { attributes.count }

    /// The token's text as stored in the file (byte-level characters for BPE, `▁` for SentencePiece).
    public func text(of id: TokenID) -> ArraySlice<UInt8> {
        textBytes[Int(textStarts[Int(id)]) ..< Int(textStarts[Int(id) + 1])]
    }

    /// The id whose stored text is exactly `text`, if any.
    public func id(ofText text: String) -> TokenID? {
        var text = text
        return text.withUTF8 { idsByText.value($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
    }

    public func isEndOfGeneration(_ id: TokenID) -> Bool { endOfGeneration.contains(id) }

    /// Whether `id` names a token of this vocabulary.
    public func contains(_ id: TokenID) -> Bool { id >= 0 && Int(id) < count }

    /// Reads the vocabulary from `file`'s `tokenizer.ggml.*` keys.
    public init(_ file: GGUFFile) throws(TokenizerError) {
        let metadata = Metadata(file)
        let modelName = try metadata.string("tokenizer.ggml.model")
        let preName = try metadata.optionalString("tokenizer.ggml.pre")

        var special = SpecialTokens()
        var addsBOS: Bool
        var addsSpacePrefix: Bool
        switch modelName {
        case "llama":
            model = .sentencePiece
            special.bos = 1
            special.eos = 2
            special.unknown = 0
            addsBOS = true
            addsSpacePrefix = true
            cleansSpaces = false
        case "gpt2":
            let pre = try PreTokenizer(name: preName)
            model = .bytePairEncoding(pre)
            special.bos = pre.hasNoDefaultBOS ? nil : 11
            special.eos = 11
            addsBOS = pre.addsBOSByDefault
            addsSpacePrefix = false
            cleansSpaces = pre.cleansSpaces
        default:
            throw .unsupportedModel(modelName)
        }
        addsSpacePrefix = try metadata.optionalBool("tokenizer.ggml.add_space_prefix") ?? addsSpacePrefix

        // Token texts, scores and kinds.
        let texts = try metadata.strings("tokenizer.ggml.tokens")
        let n = texts.count
        let scores = try metadata.optionalFloats("tokenizer.ggml.scores", atLeast: n)
        let types = try metadata.optionalInts("tokenizer.ggml.token_type", atLeast: n)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(n * 8)
        var starts: [Int32] = [0]
        starts.reserveCapacity(n + 1)
        var idsByText = ByteStringTable(expectedCount: n)
        for (i, text) in texts.enumerated() {
            let start = bytes.count
            if text.isEmpty {
                bytes.append(contentsOf: "[EMPTY_\(i)]".utf8)  // llama.cpp's stand-in for an empty token
            } else {
                bytes.append(contentsOf: text.utf8)
            }
            _ = bytes.withUnsafeBytes { idsByText.insert(UnsafeRawBufferPointer(rebasing: $0[start...]), TokenID(i), replacing: true) }
            starts.append(Int32(bytes.count))
        }
        textBytes = bytes
        textStarts = starts
        self.idsByText = idsByText
        self.scores = scores.map { Array($0.prefix(n)) } ?? Array(repeating: 0, count: n)
        var attributes = types.map { $0.prefix(n).map(TokenAttributes.init(ggufTokenType:)) }
            ?? Array(repeating: .normal, count: n)

        // Special ids: a default outside the vocabulary is dropped; a stored id outside it is ignored.
        for (_, path) in SpecialTokens.keys where special[keyPath: path].map({ $0 >= n }) ?? false {
            special[keyPath: path] = nil
        }
        for (key, path) in SpecialTokens.keys {
            if let id = try metadata.optionalInt(key), id >= 0, id < n { special[keyPath: path] = TokenID(id) }
        }
        addsBOS = try metadata.optionalBool("tokenizer.ggml.add_bos_token") ?? addsBOS
        let addsEOS = try metadata.optionalBool("tokenizer.ggml.add_eos_token") ?? false

        // Roles the file leaves out are found by token text, and such tokens become control tokens.
        let table = idsByText
        func lookup(_ text: String) -> Int? { table.value(Array(text.utf8)).map { Int($0) } }
        func textOf(_ id: Int) -> String { String(decoding: bytes[Int(starts[id]) ..< Int(starts[id + 1])], as: UTF8.self) }
        for (path, candidates) in SpecialTokens.textsByRole where special[keyPath: path] == nil {
            if let id = candidates.lazy.compactMap(lookup).first {
                special[keyPath: path] = TokenID(id)
                attributes[id].insert(.control)
            }
        }
        let unusedMarker = Array("unused".utf8)
        for id in 0..<n where attributes[id].contains(.control) {
            if bytes[Int(starts[id]) ..< Int(starts[id + 1])].contains(unusedMarker) { attributes[id].insert(.unused) }
        }

        var endOfGeneration = Set([special.fimPad, special.fimRepo, special.fimSeparator].compactMap { $0 })
        for id in SpecialTokens.endOfGenerationTexts.compactMap(lookup) {
            endOfGeneration.insert(TokenID(id))
            attributes[id].insert(.control)
        }
        // gpt-oss's channel markers are always rendered.
        for id in ["<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"].compactMap(lookup) {
            attributes[id] = .userDefined
        }
        for id in [special.eos, special.eot, special.eom].compactMap({ $0 }) { endOfGeneration.insert(id) }
        let eogTexts = Dictionary(endOfGeneration.map { (textOf(Int($0)), $0) }, uniquingKeysWith: min)
        // gpt-oss and Solar Open end turns with <|return|>/<|call|> (or <|flush|>/<|calls|>), not <|end|>.
        if let end = eogTexts["<|end|>"],
           (eogTexts["<|return|>"] != nil || eogTexts["<|flush|>"] != nil)
            && (eogTexts["<|call|>"] != nil || eogTexts["<|calls|>"] != nil)
        {
            endOfGeneration.remove(end)
            attributes[Int(end)] = .userDefined
        }
        // Gemma 4 uses </s> as text when it has <|tool_response>.
        if eogTexts["<|tool_response>"] != nil, let s = eogTexts["</s>"] {
            endOfGeneration.remove(s)
            attributes[Int(s)] = .normal
        }

        var splittable = (0..<n).filter { !attributes[$0].isDisjoint(with: .splittable) }.map { TokenID($0) }
        let length = { (id: TokenID) in starts[Int(id) + 1] - starts[Int(id)] }
        splittable.sort { length($0) != length($1) ? length($0) > length($1) : $0 < $1 }

        // Phi-3 strips whitespace after its special tokens (llama.cpp keys this on the model name).
        let modelTitle = (try metadata.optionalString("general.name") ?? "").lowercased()
        if modelTitle.contains("phi-3") || modelTitle.contains("phi3") {
            for id in splittable { attributes[Int(id)].insert(.rstrip) }
            for (text, on) in [("</s>", true), ("<unk>", false), ("<s>", false), ("<|endoftext|>", false)] {
                guard let id = lookup(text) else { continue }
                if on { attributes[id].insert(.rstrip) } else { attributes[id].remove(.rstrip) }
            }
        }

        if addsBOS && special.bos == nil { throw .missingSpecialToken("BOS") }
        if addsEOS && special.eos == nil { throw .missingSpecialToken("EOS") }
        self.attributes = attributes
        self.specialTokens = special
        self.addsBOS = addsBOS
        self.addsEOS = addsEOS
        self.addsSpacePrefix = addsSpacePrefix
        self.endOfGeneration = endOfGeneration
        self.splittableTokens = splittable
    }
}

/// Typed reads of GGUF metadata that fail with a `TokenizerError` naming the key.
struct Metadata {
    let file: GGUFFile
    init(_ file: GGUFFile) { self.file = file }

    private func wrongType(_ key: String, _ expected: String, _ value: GGUFValue) -> TokenizerError {
        .metadata(.wrongType(key: key, expected: expected, found: value.type.name))
    }

    func string(_ key: String) throws(TokenizerError) -> String {
        guard let value = try optionalString(key) else { throw .metadata(.missingKey(key)) }
        return value
    }

    func optionalString(_ key: String) throws(TokenizerError) -> String? {
        guard let value = file[key] else { return nil }
        guard let s = value.stringValue else { throw wrongType(key, "string", value) }
        return s
    }

    func optionalBool(_ key: String) throws(TokenizerError) -> Bool? {
        guard let value = file[key] else { return nil }
        guard let b = value.boolValue else { throw wrongType(key, "bool", value) }
        return b
    }

    func optionalInt(_ key: String) throws(TokenizerError) -> Int? {
        guard let value = file[key] else { return nil }
        guard let i = value.intValue else { throw wrongType(key, "integer", value) }
        return i
    }

    func optionalArray(_ key: String) throws(TokenizerError) -> GGUFArray? {
        guard let value = file[key] else { return nil }
        guard let a = value.arrayValue else { throw wrongType(key, "array", value) }
        return a
    }

    func strings(_ key: String) throws(TokenizerError) -> [String] {
        guard let array = try optionalArray(key) else { throw .metadata(.missingKey(key)) }
        guard let strings = array.strings else {
            throw .metadata(.wrongType(key: key, expected: "array of string", found: "array of \(array.elementType.name)"))
        }
        return strings
    }

    func optionalFloats(_ key: String, atLeast count: Int) throws(TokenizerError) -> [Float]? {
        guard let array = try optionalArray(key) else { return nil }
        guard let floats = array.float32s else {
            throw .metadata(.wrongType(key: key, expected: "array of float32", found: "array of \(array.elementType.name)"))
        }
        guard floats.count >= count else { throw .arrayTooShort(key: key, count: floats.count, tokens: count) }
        return floats
    }

    func optionalInts(_ key: String, atLeast count: Int) throws(TokenizerError) -> [Int]? {
        guard let array = try optionalArray(key) else { return nil }
        guard let ints = array.ints else {
            throw .metadata(.wrongType(key: key, expected: "array of integer", found: "array of \(array.elementType.name)"))
        }
        guard ints.count >= count else { throw .arrayTooShort(key: key, count: ints.count, tokens: count) }
        return ints
    }
}
