import Testing
@testable import Tokenizer

/// The building blocks below the tokenizers: Unicode classes, lenient UTF-8, the byte-level alphabet.
@Suite("Text primitives")
struct TextPrimitivesTests {
    @Test func categoriesFollowUnicode15Point1() {
        #expect(CodepointFlags.of(0x61).contains(.letter))  // a
        #expect(CodepointFlags.of(0x663).contains(.number))  // ARABIC-INDIC DIGIT THREE
        #expect(CodepointFlags.of(0x301).contains(.mark))  // COMBINING ACUTE ACCENT
        #expect(CodepointFlags.of(0x7E).contains(.symbol))  // ~
        #expect(CodepointFlags.of(0x2019).contains(.punctuation))  // ’
        #expect(CodepointFlags.of(0x3000).contains(.whitespace))
        #expect(CodepointFlags.of(0x85).contains(.whitespace))
        #expect(!CodepointFlags.of(0x1C).contains(.whitespace))  // not White_Space, though Python's isspace says so
        #expect(CodepointFlags.of(0x2FFC).contains(.symbol))  // assigned in Unicode 15.1
        #expect(CodepointFlags.of(0x2EBF0).contains(.letter))  // CJK Extension I, Unicode 15.1
        #expect(CodepointFlags.of(0x378) == .present)  // unassigned
        #expect(CodepointFlags.of(0x110000) == .present)
    }

    @Test func lenientDecodingMatchesLlamaCpp() {
        func decode(_ bytes: [UInt8]) -> [UInt32] {
            bytes.withUnsafeBufferPointer { p in
                var out: [UInt32] = [], i = 0
                while i < p.count {
                    let (c, n) = LenientUTF8.decode(p, at: i)
                    out.append(c)
                    i += n
                }
                return out
            }
        }
        #expect(decode(Array("héllo🦙".utf8)) == Array("héllo🦙".unicodeScalars.map(\.value)))
        #expect(decode([0xFF, 0x41]) == [0xFFFD, 0x41])
        #expect(decode([0xC3]) == [0xFFFD])  // truncated at the end
        #expect(decode([0xE2, 0x82, 0x41]) == [0xFFFD, 0xFFFD, 0x41])
        #expect(decode([0xC0, 0xAF]) == [0x2F])  // overlong, accepted as llama.cpp does
        #expect(decode([0xED, 0xA0, 0x80]) == [0xD800])  // surrogate, likewise
        #expect(decode([0xF4, 0x90, 0x80, 0x80]) == [0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD])  // past U+10FFFF
    }

    @Test func byteLevelAlphabetIsABijection() {
        #expect(Set(ByteLevel.codepointForByte).count == 256)
        #expect(ByteLevel.codepointForByte[0x20] == 0x120)  // space is Ġ
        #expect(ByteLevel.codepointForByte[0x0A] == 0x10A)  // newline is Ċ
        #expect(ByteLevel.codepointForByte[0x41] == 0x41)
        for b in 0..<256 { #expect(ByteLevel.byteForCodepoint[Int(ByteLevel.codepointForByte[b])] == Int16(b)) }
    }

    @Test func spaceCleaningFollowsLlamaCpp() {
        func cleaned(_ s: String) -> String {
            var bytes = Array(s.utf8)
            Tokenizer.cleanSpaces(&bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(cleaned("Hello , world !") == "Hello, world!")
        #expect(cleaned("a ' b") == "a'b")
        #expect(cleaned("a ' ' b") == "a'' b")  // the skipped space no longer counts as one
        #expect(cleaned("it 's I 'm we 're you 've") == "it's I'm we're you've")
        #expect(cleaned("can 't we 'll he 'd") == "can 't we 'll he 'd")
        #expect(cleaned(" ?") == "?")
        #expect(cleaned("") == "")
    }
}
