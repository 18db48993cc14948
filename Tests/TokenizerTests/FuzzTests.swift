import TestSupport
import Testing
@testable import Tokenizer

/// Any bytes at all tokenize without trapping, give ids inside the vocabulary, and (where decoding
/// is exact) decode back to the input with malformed UTF-8 replaced as llama.cpp replaces it.
@Suite("Tokenizer fuzz")
struct FuzzTests {
    static let casesPerVocabulary = 1_500
    static let specials = RoundTripTests.specials

    /// The input as byte-level BPE sees it: decoded leniently, re-encoded (U+FFFD for malformed bytes).
    static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { p in
            var out: [UInt8] = [], i = 0
            while i < p.count {
                let (c, n) = LenientUTF8.decode(p, at: i)
                LenientUTF8.encode(c, into: &out)
                i += n
            }
            return out
        }
    }

    static let vocabularies = ["smollm2", "gemma3", "qwen25", "r1", "r1-llama-bpe", "r1-deepseek-v3", "r1-default", "r1-qwen35"]

    @Test(arguments: vocabularies)
    func arbitraryBytesTokenize(variantName: String) throws {
        let corpus = CorpusFixture.shared
        let variant = corpus.variants.first { $0.name == variantName }!
        try #require(TestModel(rawValue: variant.model)!.shouldTest)
        let tokenizer = try corpus.tokenizer(variant)
        let exact: Bool
        if case .bytePairEncoding = tokenizer.vocabulary.model { exact = !tokenizer.vocabulary.cleansSpaces } else { exact = true }
        let escapedSpace = SentencePieceEncoder.escapedSpace
        let missing = RoundTripTests.bytesWithoutToken(tokenizer)
        var random = RandomText(seed: 0xF022 &+ UInt64(variantName.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }), specials: Self.specials)
        for _ in 0..<Self.casesPerVocabulary {
            let bytes = random.nextBytes()
            for parseSpecial in [true, false] {
                let ids = tokenizer.encode(bytes, addSpecial: true, parseSpecial: parseSpecial)
                #expect(ids.allSatisfy(tokenizer.vocabulary.contains), "\(variantName): \(hex(bytes))")
                guard exact else { continue }
                let back = tokenizer.decode(tokenizer.encode(bytes, addSpecial: false, parseSpecial: parseSpecial))
                switch tokenizer.vocabulary.model {
                case .bytePairEncoding:
                    let expected = Self.normalized(bytes)
                    if !expected.contains(where: missing.contains) { #expect(back == expected, "\(variantName): \(hex(bytes))") }
                case .sentencePiece:
                    // In malformed text a lead byte can swallow the `▁` after it, which then decodes as
                    // its three bytes (as in llama.cpp), so exactness is only claimed for valid UTF-8.
                    if String(validating: bytes, as: UTF8.self) != nil && !bytes.contains(escapedSpace) {
                        #expect(back == bytes, "\(variantName): \(hex(bytes))")
                    }
                }
            }
        }
    }
}
