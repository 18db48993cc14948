import TestSupport
import Testing
import Tokenizer

/// Ids and decoded text against llama.cpp on a wide corpus (edge cases, every script class the
/// pre-tokenizers distinguish, malformed UTF-8, special-token look-alikes, seeded random text),
/// for the test models and for the pre-tokenizers their metadata can be switched to.
@Suite("Tokenization matches llama.cpp on the generated corpus")
struct CorpusTests {
    static let variantNames = CorpusFixture.shared.variants.map(\.name)

    @Test(arguments: variantNames)
    func idsAndTextMatch(variantName: String) throws {
        let corpus = CorpusFixture.shared
        let variant = corpus.variants.first { $0.name == variantName }!
        try #require(TestModel(rawValue: variant.model)!.shouldTest)
        let tokenizer = try corpus.tokenizer(variant)
        var failures = 0
        for (text, expected) in zip(corpus.texts, variant.results) where failures < 10 {
            let parsed = tokenizer.encode(text, parseSpecial: true)
            let plain = tokenizer.encode(text, parseSpecial: false)
            let decoded = hex(tokenizer.decode(expected.P))
            let decodedPlain = hex(tokenizer.decode(expected.P, removeSpecial: true, unparseSpecial: false))
            let ok = parsed == expected.P && plain == expected.N && decoded == expected.text_hex
                && decodedPlain == (expected.text_plain_hex ?? expected.text_hex)
            if !ok { failures += 1 }
            #expect(parsed == expected.P, "\(variantName) text \(hex(text))")
            #expect(plain == expected.N, "\(variantName) text \(hex(text)), no special parsing")
            #expect(decoded == expected.text_hex, "\(variantName) decode of \(hex(text))")
            #expect(decodedPlain == (expected.text_plain_hex ?? expected.text_hex), "\(variantName) plain decode of \(hex(text))")
        }
    }
}
