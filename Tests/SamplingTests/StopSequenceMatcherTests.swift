import Sampling
import Testing
import TestSupport

@Suite("Stop sequences across token boundaries")
struct StopSequenceMatcherTests {
    /// Feeds `pieces` in order and collects what a streaming client would see.
    static func stream(_ pieces: [String], stops: [String]) -> (text: String, stop: String?) {
        var matcher = StopSequenceMatcher(stops: stops)
        var text = ""
        for piece in pieces {
            let output = matcher.append(piece)
            text += output.text
            if let stop = output.stop { return (text, stop) }
        }
        return (text + matcher.finish(), nil)
    }

    @Test("A stop split at every pair of positions is caught and never partly emitted")
    func everySplit() {
        let full = "Hello, wörld!<|im_end|>tail"
        let characters = Array(full)
        for first in 0...characters.count {
            for second in first...characters.count {
                let pieces = [String(characters[..<first]), String(characters[first..<second]), String(characters[second...])]
                let result = Self.stream(pieces, stops: ["<|im_end|>"])
                #expect(result.text == "Hello, wörld!" && result.stop == "<|im_end|>", "\(pieces)")
            }
        }
    }

    @Test("Text that might start a stop is held back, then released when it does not")
    func holdBackAndRelease() {
        var matcher = StopSequenceMatcher(stops: ["</answer>"])
        #expect(matcher.append("x </an") == .init(text: "x "))
        #expect(matcher.append("swer") == .init(text: ""))
        #expect(matcher.append("ed") == .init(text: "</answered"))
        #expect(matcher.append(" <") == .init(text: " "))
        #expect(matcher.finish() == "<")
    }

    @Test("A repeated first character does not hide a stop")
    func repeatedPrefix() {
        var matcher = StopSequenceMatcher(stops: ["aab"])
        #expect(matcher.append("a") == .init(text: ""))
        #expect(matcher.append("a") == .init(text: ""))
        #expect(matcher.append("a") == .init(text: "a"))
        #expect(matcher.append("b") == .init(text: "", stop: "aab"))
    }

    @Test("Overlapping stops: the first to complete ends generation; in one piece, the earliest, then the first listed")
    func overlappingStops() {
        // "ab" completes while "abc" is still open: no need to wait, the emitted text is the same.
        #expect(Self.stream(["x", "a", "b", "c"], stops: ["abc", "ab"]) == ("x", "ab"))
        #expect(Self.stream(["x", "a", "b", "c"], stops: ["ab", "abc"]) == ("x", "ab"))
        // Both complete in the same piece at the same place: the one listed first.
        #expect(Self.stream(["xabc"], stops: ["abc", "ab"]) == ("x", "abc"))
        #expect(Self.stream(["xabc"], stops: ["ab", "abc"]) == ("x", "ab"))
        // A later-starting stop that completes first wins over an earlier one still open...
        #expect(Self.stream(["a", "b", "c", "d"], stops: ["abcd", "bc"]) == ("a", "bc"))
        // ...but when both are complete, the earlier start wins.
        #expect(Self.stream(["abcd"], stops: ["bc", "abcd"]) == ("", "abcd"))
    }

    @Test("Multi-byte UTF-8: held text and cuts stay whole characters")
    func multiByte() {
        #expect(Self.stream(["日本語で", "す。続き"], stops: ["語です"]) == ("日本", "語です"))
        #expect(Self.stream(["日本語", "では"], stops: ["語です"]) == ("日本語では", nil))
        // "é" is held as the possible start of "éa"; the next piece settles it.
        var matcher = StopSequenceMatcher(stops: ["éa"])
        #expect(matcher.append("xé") == .init(text: "x"))
        #expect(matcher.append("b") == .init(text: "éb"))
        // A shared lead byte (ã and é both start with 0xC3) is not a partial match.
        #expect(matcher.append("ã") == .init(text: "ã"))
        #expect(Self.stream(["🙂 done", "🛑", "more"], stops: ["🛑"]) == ("🙂 done", "🛑"))
    }

    @Test("Matching is on bytes: a decomposed é does not match a precomposed stop")
    func noNormalisation() {
        #expect(Self.stream(["caf", "e\u{301}", "!"], stops: ["\u{E9}"]) == ("cafe\u{301}!", nil))
    }

    @Test("No stops, or none that occur: all text passes, nothing is held at the end")
    func noStop() {
        var matcher = StopSequenceMatcher(stops: [])
        #expect(matcher.append("anything <|im_end|>") == .init(text: "anything <|im_end|>"))
        #expect(matcher.finish() == "")
        #expect(Self.stream(["one ", "two ", "thr", "ee"], stops: ["four", "\n\n"]) == ("one two three", nil))
        #expect(Self.stream(["a", "", "b"], stops: [""]) == ("ab", nil))
    }

    @Test("Several stops: whichever occurs ends generation")
    func multipleStops() {
        let stops = ["<|im_end|>", "\n\nUser:", "###"]
        #expect(Self.stream(["Sure.", "\n", "\nUs", "er: hi"], stops: stops) == ("Sure.", "\n\nUser:"))
        #expect(Self.stream(["Sure.", "\n#", "##"], stops: stops) == ("Sure.\n", "###"))
        #expect(Self.stream(["Sure.<|im", "_end|>\n\nUser:"], stops: stops) == ("Sure.", "<|im_end|>"))
    }

    @Test("After a stop, further text and finish produce nothing")
    func afterStop() {
        var matcher = StopSequenceMatcher(stops: ["END"])
        #expect(matcher.append("fooEN") == .init(text: "foo"))
        #expect(matcher.append("Dbar") == .init(text: "", stop: "END"))
        #expect(matcher.append("more") == .init(text: "", stop: "END"))
        #expect(matcher.finish() == "")
    }

    @Test("Random texts in random pieces give the text before the first stop")
    func randomPieces() {
        // No stop is inside another, so the first stop to complete is also the first to start,
        // however the text is cut.
        let stops = ["abc", "cba", "bb"]
        var random = SeededRandom(seed: 3)
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...30, using: &random)).map { _ in "abc ".randomElement(using: &random)! })
            var pieces: [String] = []
            var rest = Substring(text)
            while !rest.isEmpty {
                let length = Int.random(in: 0...min(4, rest.count), using: &random)
                pieces.append(String(rest.prefix(length)))
                rest = rest.dropFirst(length)
            }
            let firstStop = stops.compactMap { text.firstRange(of: $0) }.min { $0.upperBound < $1.upperBound }
            let expected = firstStop.map { String(text[..<$0.lowerBound]) } ?? text
            #expect(Self.stream(pieces, stops: stops).text == expected, "\(pieces)")
        }
    }
}
