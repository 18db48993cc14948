import GGUF
import TestSupport
import Testing
@testable import Tokenizer

@Suite("Vocabulary loading")
struct VocabularyTests {
    /// What libllama (at the pinned commit) reports for each model: special ids, and the ids for which
    /// `llama_vocab_is_eog` is true. EOT is left out for SmolLM2: two of its tokens qualify and
    /// llama.cpp's pick depends on hash-map order (Tern takes the first in llama.cpp's list, <|im_end|>).
    struct Expected: Sendable {
        let model: TestModel
        let bos: TokenID, eos: TokenID, eot: TokenID?, padding: TokenID?
        let endOfGeneration: Set<TokenID>
        let controlCount: Int
    }

    static let expected: [Expected] = [
        Expected(model: .smollm2, bos: 1, eos: 2, eot: nil, padding: 2, endOfGeneration: [0, 2, 4], controlCount: 17),
        Expected(model: .gemma3, bos: 2, eos: 1, eot: 106, padding: 0, endOfGeneration: [1, 106, 212], controlCount: 6250),
        Expected(model: .qwen25, bos: 151643, eos: 151645, eot: 151645, padding: 151643,
                 endOfGeneration: [128247, 151643, 151645, 151662, 151663, 151664], controlCount: 21),
        Expected(model: .tinyDeepSeekF16, bos: 151646, eos: 151643, eot: 151643, padding: 151654,
                 endOfGeneration: [128247, 151643, 151662, 151663, 151664], controlCount: 19),
    ]

    @Test(arguments: expected.map(\.model))
    func specialIdsAndEndOfGenerationMatchLlamaCpp(model: TestModel) throws {
        try #require(model.shouldTest)
        let e = Self.expected.first { $0.model == model }!
        let v = try ReferenceTokenizationTests.tokenizers.tokenizer(model).vocabulary
        #expect(v.specialTokens.bos == e.bos)
        #expect(v.specialTokens.eos == e.eos)
        if let eot = e.eot { #expect(v.specialTokens.eot == eot) }
        #expect(v.specialTokens.padding == e.padding)
        #expect(v.endOfGeneration == e.endOfGeneration)
        #expect(v.attributes.filter { $0.contains(.control) }.count == e.controlCount)
    }

    @Test func qwenFillInTheMiddleTokensComeFromTheirTexts() throws {
        try #require(TestModel.qwen25.shouldTest)
        let s = try ReferenceTokenizationTests.tokenizers.tokenizer(.qwen25).vocabulary.specialTokens
        #expect([s.fimPrefix, s.fimSuffix, s.fimMiddle, s.fimPad, s.fimRepo, s.fimSeparator]
            == [151659, 151661, 151660, 151662, 151663, 151664])
    }

    @Test func kindsAndFlagsOfEachModelFamily() throws {
        try #require(TestModel.gemma3.shouldTest && TestModel.tinyDeepSeekF16.shouldTest)
        let gemma = try ReferenceTokenizationTests.tokenizers.tokenizer(.gemma3).vocabulary
        #expect(gemma.model == .sentencePiece)
        #expect(gemma.addsBOS && !gemma.addsEOS && !gemma.addsSpacePrefix)
        #expect(gemma.specialTokens.unknown == 3)
        let r1 = try ReferenceTokenizationTests.tokenizers.tokenizer(.tinyDeepSeekF16).vocabulary
        guard case .bytePairEncoding(let pre) = r1.model else { Issue.record("R1 is not BPE"); return }
        #expect(pre.name == "deepseek-r1-qwen")
        #expect(r1.addsBOS && !r1.addsSpacePrefix)
        #expect(r1.id(ofText: "<think>") == 151648)
        #expect(r1.attributes[151648] == .userDefined)
        #expect(Array(r1.text(of: 151648)) == Array("<think>".utf8))
    }

    @Test func missingPreTokenizerFallsBackToDefault() throws {
        var m = SyntheticModel.byteLevel()
        m.pre = nil
        guard case .bytePairEncoding(let pre) = try m.tokenizer().vocabulary.model else { Issue.record("not BPE"); return }
        #expect(pre.name == "default")
    }

    @Test func unsupportedTokenizersAreRefusedByName() throws {
        var bert = SyntheticModel.byteLevel()
        bert.model = "bert"
        #expect(throws: TokenizerError.unsupportedModel("bert")) { try bert.tokenizer() }

        var tekken = SyntheticModel.byteLevel()
        tekken.pre = "tekken"
        #expect(throws: TokenizerError.unsupportedPreTokenizer("tekken")) { try tekken.tokenizer() }
        #expect(TokenizerError.unsupportedPreTokenizer("tekken").description.contains("deepseek-v3"))
    }

    @Test func malformedMetadataNamesTheKey() throws {
        var noTokens = SyntheticModel.byteLevel()
        noTokens.tokens = []
        noTokens.types = []
        noTokens.extra = [("tokenizer.ggml.tokens", .array(.int32([1, 2])))]
        #expect(throws: TokenizerError.metadata(.wrongType(key: "tokenizer.ggml.tokens", expected: "array of string",
                                                           found: "array of int32"))) { try noTokens.tokenizer() }

        var shortScores = SyntheticModel.byteLevel()
        shortScores.extra = [("tokenizer.ggml.scores", .array(.float32([0, 1])))]
        #expect(throws: TokenizerError.arrayTooShort(key: "tokenizer.ggml.scores", count: 2, tokens: 256)) {
            try shortScores.tokenizer()
        }

        var noMerges = SyntheticModel.byteLevel()
        noMerges.merges = nil
        #expect(throws: TokenizerError.metadata(.missingKey("tokenizer.ggml.merges"))) { try noMerges.tokenizer() }

        var wrongFlag = SyntheticModel.byteLevel()
        wrongFlag.extra = [("tokenizer.ggml.add_bos_token", .string("yes"))]
        #expect(throws: TokenizerError.metadata(.wrongType(key: "tokenizer.ggml.add_bos_token", expected: "bool", found: "string"))) {
            try wrongFlag.tokenizer()
        }
    }

    @Test func addingATokenThatDoesNotExistIsAnError() throws {
        // GLM-4's pre-tokenizer has no default BOS, so asking for one without naming it cannot work.
        var glm = SyntheticModel.byteLevel()
        glm.pre = "glm4"
        glm.extra = [("tokenizer.ggml.add_bos_token", .bool(true))]
        #expect(throws: TokenizerError.missingSpecialToken("BOS")) { try glm.tokenizer() }
    }

    @Test func endOfGenerationTokensFoundByTextBecomeControlTokens() throws {
        let m = SyntheticModel.byteLevel(special: [("<|im_end|>", 1), ("<|endoftext|>", 3)])
        let v = try m.tokenizer().vocabulary
        let imEnd = m.id(of: "<|im_end|>"), endOfText = m.id(of: "<|endoftext|>")
        #expect(v.specialTokens.eot == imEnd)  // first in llama.cpp's list
        #expect(v.attributes[Int(imEnd)].contains(.control))
        #expect(v.endOfGeneration == [imEnd, endOfText, 11])  // plus the gpt2 default EOS id
        #expect(v.isEndOfGeneration(imEnd) && !v.isEndOfGeneration(0))
    }
}
