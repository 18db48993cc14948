import TestSupport
import Testing
@testable import Tokenizer

@Suite("Streaming detokenizer")
struct StreamingDetokenizerTests {
    @Test(arguments: [TestModel.smollm2, .gemma3, .qwen25, .tinyDeepSeekF16])
    func chunksJoinIntoTheTextWithoutBrokenCharacters(model: TestModel) throws {
        try #require(model.shouldTest)
        let tokenizer = try ReferenceTokenizationTests.tokenizers.tokenizer(model)
        let missing = tokenizer.vocabulary.model == .sentencePiece ? [] : RoundTripTests.bytesWithoutToken(tokenizer)
        var random = RandomText(seed: 0x57E4, specials: RoundTripTests.specials)
        for _ in 0..<200 {
            let text = random.next().filter { $0 != "▁" && $0 != "\u{FFFD}" }
            guard !text.utf8.contains(where: missing.contains) else { continue }
            var stream = StreamingDetokenizer(tokenizer: tokenizer, rendersSpecialTokens: true)
            var chunks: [String] = []
            for id in tokenizer.encode(text, addSpecial: false) { chunks.append(stream.append(id)) }
            chunks.append(stream.finish())
            #expect(chunks.joined() == text, "\(model): \(hex(text.utf8))")
            #expect(!chunks.contains { $0.contains("\u{FFFD}") }, "\(model): \(hex(text.utf8))")
        }
    }

    /// A vocabulary without merges spells a 4-byte emoji with 4 tokens: nothing comes out until the last.
    @Test func partialCharactersAreHeldBack() throws {
        let tokenizer = try SyntheticModel.byteLevel().tokenizer()
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        let chunks = tokenizer.encode("a🦙é", addSpecial: false).map { stream.append($0) }
        #expect(chunks == ["a", "", "", "", "🦙", "", "é"])
        #expect(stream.finish() == "")
    }

    @Test func bytesThatCannotBecomeACharacterComeOutAsReplacement() throws {
        let tokenizer = try SyntheticModel.byteLevel().tokenizer()
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        #expect(stream.append(0xFF) == "\u{FFFD}")
        #expect(stream.append(0xE2) == "")
        #expect(stream.append(0x41) == "\u{FFFD}A")
        #expect(stream.append(0xED) == "")
        #expect(stream.append(0xA0) == "\u{FFFD}\u{FFFD}")  // a surrogate can never complete
        #expect(stream.append(0xF0) == "")
        #expect(stream.append(0x9F) == "")
        #expect(stream.finish() == "\u{FFFD}")
        #expect(stream.finish() == "")
    }

    @Test func specialTokensAreShownOnlyWhenAskedFor() throws {
        let m = SyntheticModel.byteLevel(special: [("<|im_end|>", 3), ("<think>", 4)])
        let tokenizer = try m.tokenizer()
        let ids = tokenizer.encode("<think>x<|im_end|>", addSpecial: false)
        var hidden = StreamingDetokenizer(tokenizer: tokenizer)
        var shown = StreamingDetokenizer(tokenizer: tokenizer, rendersSpecialTokens: true)
        #expect(ids.map { hidden.append($0) }.joined() == "<think>x")
        #expect(ids.map { shown.append($0) }.joined() == "<think>x<|im_end|>")
    }
}
