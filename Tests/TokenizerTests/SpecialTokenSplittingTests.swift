import GGUF
import Testing
@testable import Tokenizer

/// How special tokens are cut out of text, on small vocabularies where every id is known.
@Suite("Special-token splitting")
struct SpecialTokenSplittingTests {
    static let control: Int32 = 3, userDefined: Int32 = 4

    /// The ids of `text`'s bytes as byte-level characters (ids 0–255 in a synthetic vocabulary).
    static func byteIDs(_ text: String) -> [TokenID] { text.utf8.map { TokenID($0) } }

    @Test func controlTokensAreCutOnlyWhenParsingSpecials() throws {
        let m = SyntheticModel.byteLevel(special: [("<|end|>", Self.control), ("<think>", Self.userDefined)])
        let t = try m.tokenizer()
        let end = m.id(of: "<|end|>"), think = m.id(of: "<think>")
        #expect(t.encode("a<|end|>b<think>", addSpecial: false) == [TokenID(97), end, TokenID(98), think])
        #expect(t.encode("a<|end|>b<think>", addSpecial: false, parseSpecial: false) == Self.byteIDs("a<|end|>b") + [think])
    }

    @Test func longerTokensClaimTheirTextFirst() throws {
        let m = SyntheticModel.byteLevel(special: [("<a>", Self.control), ("<a>b", Self.control), ("b<c>", Self.control)])
        let t = try m.tokenizer()
        // "<a>b" (4 bytes) and "b<c>" (4 bytes) overlap on "b": the lower id of the two longest claims it,
        // and "<c>" is then not a token, so it stays text.
        #expect(t.encode("<a>b<c>", addSpecial: false) == [m.id(of: "<a>b")] + Self.byteIDs("<c>"))
        #expect(t.encode("<a><a>bb<c>", addSpecial: false) == [m.id(of: "<a>"), m.id(of: "<a>b"), m.id(of: "b<c>")])
    }

    @Test func aShorterTokenFitsWhereALongerOneAtTheSamePlaceNoLongerDoes() throws {
        let m = SyntheticModel.byteLevel(special: [("cdef", Self.control), ("abc", Self.control), ("ab", Self.control)])
        let t = try m.tokenizer()
        // "cdef" claims its text first; "abc" then overlaps it, so "ab" is cut at the same place.
        #expect(t.encode("abcdef", addSpecial: false) == [m.id(of: "ab"), m.id(of: "cdef")])
    }

    @Test func longRunsOfNestedTokensSplitIntoTheLongestPieces() throws {
        let runs = (2...31).map { (String(repeating: " ", count: $0), Self.userDefined) }
        let m = SyntheticModel.byteLevel(special: runs)
        let t = try m.tokenizer()
        let ids = t.encode(String(repeating: " ", count: 100_000), addSpecial: false)
        // The 31-space token claims every 31 spaces from the left; the 25 left over are the 25-space token.
        #expect(ids == Array(repeating: m.id(of: String(repeating: " ", count: 31)), count: 3225) + [m.id(of: String(repeating: " ", count: 25))])
    }

    @Test func occurrencesDoNotOverlapAndAdjacentOnesAllSplit() throws {
        let m = SyntheticModel.byteLevel(special: [("aa", Self.userDefined)])
        let t = try m.tokenizer()
        let aa = m.id(of: "aa")
        #expect(t.encode("aaaaa", addSpecial: false) == [aa, aa, TokenID(97)])
        #expect(t.encode("", addSpecial: false).isEmpty)
    }

    @Test func phi3DropsWhitespaceAfterSpecialTokens() throws {
        var m = SyntheticModel.byteLevel(special: [("<|end|>", Self.control), ("</s>", Self.control), ("<s>", Self.control),
                                                   ("<unk>", Self.control), ("<|endoftext|>", Self.control)])
        m.extra = [("general.name", .string("Phi-3 mini"))]
        let t = try m.tokenizer()
        #expect(t.encode("<|end|> \n\thi", addSpecial: false) == [m.id(of: "<|end|>")] + Self.byteIDs("hi"))
        #expect(t.encode("<|end|>  ", addSpecial: false) == [m.id(of: "<|end|>")])
        // llama.cpp's Phi-3 rule keeps the whitespace after <s>, <unk> and <|endoftext|>.
        #expect(t.encode("<s> x", addSpecial: false) == [m.id(of: "<s>")] + Self.byteIDs(" x"))
    }

    @Test func mergesApplyByRankInsideTextFragments() throws {
        let m = SyntheticModel.byteLevel(special: [("<x>", Self.control)], merges: ["b c", "a b", "ab c"])
        let t = try m.tokenizer()
        // "b c" outranks "a b", so "abc" merges as a + bc and "ab c" never applies.
        #expect(t.encode("abc<x>abc", addSpecial: false) == [TokenID(97), m.id(of: "bc"), m.id(of: "<x>"), TokenID(97), m.id(of: "bc")])
    }
}
