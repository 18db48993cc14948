import GGUF

/// Text ↔ token ids for one model, producing exactly the ids llama.cpp produces for its GGUF file.
///
/// Built once per model (loading a 152k-token vocabulary takes a fraction of a second) and immutable
/// afterwards, so one value can serve any number of threads.
public struct Tokenizer: Sendable {
    /// The vocabulary the ids index: special ids, end-of-generation set, token texts and kinds.
    public let vocabulary: Vocabulary
    private let encoder: Encoder
    private let splitter: SpecialTokenSplitter

    private enum Encoder: Sendable {
        case bytePairEncoding(BytePairEncoder)
        case sentencePiece(SentencePieceEncoder)
    }

    /// Reads the tokenizer from the model file at `path`; throws `GGUFError` or `TokenizerError`.
    public init(path: String) throws {
        try self.init(GGUFFile(path: path))
    }

    /// Reads the tokenizer from `file`'s `tokenizer.ggml.*` metadata.
    public init(_ file: GGUFFile) throws(TokenizerError) {
        let vocabulary = try Vocabulary(file)
        switch vocabulary.model {
        case .bytePairEncoding(let pre):
            let merges = try Metadata(file).strings("tokenizer.ggml.merges")
            encoder = .bytePairEncoding(BytePairEncoder(vocabulary: vocabulary, merges: merges, preTokenizer: pre))
        case .sentencePiece:
            encoder = .sentencePiece(SentencePieceEncoder(vocabulary: vocabulary))
        }
        splitter = SpecialTokenSplitter(vocabulary: vocabulary)
        self.vocabulary = vocabulary
    }

    /// The ids of `text` (any bytes; malformed UTF-8 is tokenized as llama.cpp does).
    ///
    /// - Parameters:
    ///   - addSpecial: add BOS/EOS where the vocabulary says to (llama.cpp's `add_special`).
    ///   - parseSpecial: split control tokens such as `<|im_start|>` out of the text; when false they
    ///     are tokenized as plain text. User-defined tokens are split out either way.
    public func encode(_ text: some Collection<UInt8>, addSpecial: Bool = true, parseSpecial: Bool = true) -> [TokenID] {
        let encoded = text.withContiguousStorageIfAvailable { encode(buffer: $0, addSpecial: addSpecial, parseSpecial: parseSpecial) }
        return encoded ?? Array(text).withUnsafeBufferPointer {
            encode(buffer: $0, addSpecial: addSpecial, parseSpecial: parseSpecial)
        }
    }

    /// The ids of a string's UTF-8.
    public func encode(_ text: String, addSpecial: Bool = true, parseSpecial: Bool = true) -> [TokenID] {
        var text = text
        return text.withUTF8 { encode(buffer: $0, addSpecial: addSpecial, parseSpecial: parseSpecial) }
    }

    private func encode(buffer: UnsafeBufferPointer<UInt8>, addSpecial: Bool, parseSpecial: Bool) -> [TokenID] {
        var output: [TokenID] = []
        output.reserveCapacity(buffer.count / 3 + 2)
        if addSpecial && vocabulary.addsBOS, let bos = vocabulary.specialTokens.bos { output.append(bos) }
        let fragments = splitter.split(buffer, parseSpecial: parseSpecial)
        switch encoder {
        case .bytePairEncoding(let bpe):
            for fragment in fragments {
                switch fragment {
                case .text(let range): bpe.encode(UnsafeBufferPointer(rebasing: buffer[range]), into: &output)
                case .token(let id): output.append(id)
                }
            }
        case .sentencePiece(let spm):
            // A space is prefixed to the text at the start and after each special token.
            var afterSpecial = true
            var escaped: [UInt8] = []
            for fragment in fragments {
                switch fragment {
                case .text(let range):
                    escaped.removeAll(keepingCapacity: true)
                    if vocabulary.addsSpacePrefix && afterSpecial { escaped.append(contentsOf: SentencePieceEncoder.escapedSpace) }
                    for b in buffer[range] {
                        if b == 0x20 { escaped.append(contentsOf: SentencePieceEncoder.escapedSpace) } else { escaped.append(b) }
                    }
                    escaped.withUnsafeBufferPointer { spm.encode($0, vocabulary: vocabulary, into: &output) }
                    afterSpecial = false
                case .token(let id):
                    output.append(id)
                    afterSpecial = true
                }
            }
        }
        if addSpecial && vocabulary.addsEOS, let eos = vocabulary.specialTokens.eos { output.append(eos) }
        return output
    }
}
