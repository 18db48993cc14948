import TestSupport
import Testing
@testable import Tokenizer

/// decode(encode(s)) gives s back: exactly for byte-level BPE (for the bytes its vocabulary has tokens
/// for: SmolLM2 has none for 21 byte values, which llama.cpp drops too); for SentencePiece, modulo `▁`
/// (which decodes as a space) and the space prefix that follows each special token when the
/// vocabulary adds one.
@Suite("Round trips over random Unicode text")
struct RoundTripTests {
    static let specials = ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<｜begin▁of▁sentence｜>", "<think>", "</think>",
                           "<start_of_turn>", "<end_of_turn>", "<bos>", "<unused3>", "<b>", "[multimodal]"]
    static let textsPerModel = 400

    /// Bytes whose byte-level character is not a token of the vocabulary.
    static func bytesWithoutToken(_ tokenizer: Tokenizer) -> Set<UInt8> {
        Set((0...255).filter { tokenizer.vocabulary.id(ofText: String(decoding: ByteLevel.utf8ForByte[$0], as: UTF8.self)) == nil }
            .map { UInt8($0) })
    }

    @Test(arguments: [TestModel.smollm2, .qwen25, .tinyDeepSeekF16])
    func byteLevelBPEGivesTheTextBack(model: TestModel) throws {
        try #require(model.shouldTest)
        let tokenizer = try ReferenceTokenizationTests.tokenizers.tokenizer(model)
        let missing = Self.bytesWithoutToken(tokenizer)
        var random = RandomText(seed: 0xB9E + UInt64(model.rawValue.utf8.count), specials: Self.specials)
        var checked = 0
        for _ in 0..<Self.textsPerModel {
            let text = random.next()
            guard !text.utf8.contains(where: missing.contains) else { continue }
            checked += 1
            let ids = tokenizer.encode(text, addSpecial: false)
            #expect(tokenizer.decode(ids) == Array(text.utf8), "\(model): \(hex(text.utf8))")
        }
        #expect(checked > Self.textsPerModel / 2)
    }

    @Test func sentencePieceGivesTheTextBack() throws {
        try #require(TestModel.gemma3.shouldTest)
        let tokenizer = try ReferenceTokenizationTests.tokenizers.tokenizer(.gemma3)
        var random = RandomText(seed: 0x5E11, specials: Self.specials)
        for _ in 0..<Self.textsPerModel {
            let text = random.next().filter { $0 != "▁" }
            let ids = tokenizer.encode(text, addSpecial: false)
            #expect(tokenizer.decode(ids) == Array(text.utf8), "gemma3: \(hex(text.utf8))")
        }
    }

    @Test func sentencePieceWithASpacePrefixDropsItAgain() throws {
        try #require(TestModel.gemma3.shouldTest)
        let corpus = CorpusFixture.shared
        let tokenizer = try corpus.tokenizer(corpus.variants.first { $0.name == "gemma3-space-prefix" }!)
        var random = RandomText(seed: 0x5E12)
        var checked = 0
        for _ in 0..<Self.textsPerModel {
            let text = random.next().filter { $0 != "▁" }
            let ids = tokenizer.encode(text, addSpecial: false)
            // Every text fragment gets the prefix, so only texts that are one fragment come back whole.
            guard !ids.contains(where: { !tokenizer.vocabulary.attributes[Int($0)].isDisjoint(with: .splittable) }) else { continue }
            checked += 1
            #expect(tokenizer.decode(ids) == Array(text.utf8), "gemma3 with prefix: \(hex(text.utf8))")
        }
        #expect(checked > Self.textsPerModel / 4)
    }
}
