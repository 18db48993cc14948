import GGUF
import TestSupport
import Testing
@testable import Tokenizer

/// Ids, pieces and decoded text against llama.cpp's reference outputs for every test model.
@Suite("Tokenization matches llama.cpp's reference fixtures")
struct ReferenceTokenizationTests {
    static let tokenizers = TokenizerCache()

    @Test(arguments: TestModel.allCases)
    func idsMatchInBothModes(model: TestModel) throws {
        try #require(model.shouldTest)
        let tokenizer = try Self.tokenizers.tokenizer(model)
        let fixture = try ReferenceFixture.load(model)
        #expect(tokenizer.vocabulary.addsBOS == fixture.model.add_bos)
        #expect(tokenizer.vocabulary.addsEOS == fixture.model.add_eos)
        #expect(tokenizer.vocabulary.specialTokens.bos == fixture.model.bos_id)
        #expect(tokenizer.vocabulary.specialTokens.eos == fixture.model.eos_id)
        for c in fixture.tokenization {
            #expect(tokenizer.encode(c.text, parseSpecial: true) == c.parse_special.tokens, "\(model) \(c.id) parse_special")
            #expect(tokenizer.encode(c.text, parseSpecial: false) == c.no_parse_special.tokens, "\(model) \(c.id) no_parse_special")
        }
    }

    @Test(arguments: TestModel.allCases)
    func piecesAndDecodedTextMatch(model: TestModel) throws {
        try #require(model.shouldTest)
        let tokenizer = try Self.tokenizers.tokenizer(model)
        for c in try ReferenceFixture.load(model).tokenization {
            for outcome in [c.parse_special, c.no_parse_special] {
                #expect(outcome.tokens.map { hex(tokenizer.piece($0)) } == outcome.pieces_hex, "\(model) \(c.id)")
                #expect(hex(tokenizer.decode(outcome.tokens)) == outcome.text_hex, "\(model) \(c.id)")
                #expect(hex(tokenizer.decode(outcome.tokens, removeSpecial: true, unparseSpecial: false)) == outcome.text_plain_hex,
                        "\(model) \(c.id)")
            }
        }
    }
}
