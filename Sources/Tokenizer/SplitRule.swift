/// One step of a pre-tokenizer: cuts a piece of text into smaller pieces.
///
/// The family rules (`gpt2`, `llama3`, `qwen2`, `qwen35`) behave like llama.cpp's hand-written
/// splitters for those regexes. The others behave like its std::regex fallback: leftmost match,
/// alternatives tried in order, and unmatched text kept as a piece of its own. That fallback sees
/// ASCII characters as themselves but every other character only by its class, and its class for
/// `\p{S}` leaves out `~`; the rules reproduce that. All work on code points, written by hand over the
/// category flags (no regex engine).
enum SplitRule: Equatable {
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    case gpt2
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    case llama3
    /// The llama3 rule with single digits (`\p{N}` for `\p{N}{1,3}`).
    case qwen2
    /// The qwen2 rule with marks joining letters (`[\p{L}\p{M}]+` for `\p{L}+`).
    case qwen35
    /// `\p{N}`
    case singleNumbers
    /// `\p{N}+`
    case numberRuns
    /// `\p{N}{1,3}`
    case numberTriples
    /// `[0-9][0-9][0-9]`
    case asciiDigitTriples
    /// `[\p{P}\$\+<=>\^~\|]+`, with the backtick added for Falcon.
    case punctuationRuns(withBacktick: Bool)
    /// `[一-龥぀-ゟ゠-ヿ]+`
    case hanAndKana
    /// `[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    case deepSeekV3

    /// Appends the end index of each piece of `text[start..<end]` to `out`.
    func split(_ text: CodepointText, from start: Int, to end: Int, into out: inout [Int32]) {
        let view = Piece(text: text, end: end)
        switch self {
        case .gpt2: view.splitGPT2(from: start, into: &out)
        case .llama3: view.splitLlama3(from: start, digitsPerGroup: 3, marksJoinLetters: false, into: &out)
        case .qwen2: view.splitLlama3(from: start, digitsPerGroup: 1, marksJoinLetters: false, into: &out)
        case .qwen35: view.splitLlama3(from: start, digitsPerGroup: 1, marksJoinLetters: true, into: &out)
        case .singleNumbers:
            view.splitOnMatches(from: start, into: &out) { p in view.flags(p).contains(.number) ? p + 1 : nil }
        case .numberRuns:
            view.splitOnMatches(from: start, into: &out) { p in view.run(from: p) { view.flags($0).contains(.number) } }
        case .numberTriples:
            view.splitOnMatches(from: start, into: &out) { p in
                view.run(from: p, limit: 3) { view.flags($0).contains(.number) }
            }
        case .asciiDigitTriples:
            view.splitOnMatches(from: start, into: &out) { p in
                view.isASCIIDigit(p) && view.isASCIIDigit(p + 1) && view.isASCIIDigit(p + 2) ? p + 3 : nil
            }
        case .punctuationRuns(let withBacktick):
            view.splitOnMatches(from: start, into: &out) { p in
                view.run(from: p) { i in
                    if view.flags(i).contains(.punctuation) { return true }
                    switch view.codepoint(i) {
                    case 0x24, 0x2B, 0x3C, 0x3D, 0x3E, 0x5E, 0x7E, 0x7C: return true  // $ + < = > ^ ~ |
                    case 0x60: return withBacktick
                    default: return false
                    }
                }
            }
        case .hanAndKana:
            view.splitOnMatches(from: start, into: &out) { p in
                view.run(from: p) { i in
                    let c = view.codepoint(i)
                    return (0x4E00...0x9FA5).contains(c) || (0x3040...0x30FF).contains(c)
                }
            }
        case .deepSeekV3:
            view.splitOnMatches(from: start, into: &out) { p in view.deepSeekV3Match(at: p) }
        }
    }
}

/// One piece of a fragment: reads past `end` as "nothing there", as llama.cpp's splitters do.
private struct Piece {
    let text: CodepointText
    let end: Int

    private static let outOfRange = UInt32.max
    private static let cr: UInt32 = 0x0D, lf: UInt32 = 0x0A, space: UInt32 = 0x20

    @inline(__always) func flags(_ i: Int) -> CodepointFlags { i < end ? text.flags[i] : [] }
    @inline(__always) func codepoint(_ i: Int) -> UInt32 { i < end ? text.codepoints[i] : Self.outOfRange }
    @inline(__always) func isNewline(_ i: Int) -> Bool { let c = codepoint(i); return c == Self.cr || c == Self.lf }
    @inline(__always) func isASCIIDigit(_ i: Int) -> Bool { (0x30...0x39).contains(codepoint(i)) }
    @inline(__always) func isASCIILetter(_ i: Int) -> Bool {
        let c = codepoint(i)
        return (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
    }

    /// The end of the run of positions from `p` that satisfy `test` (at most `limit` long), or nil if `p` does not.
    @inline(__always)
    func run(from p: Int, limit: Int = .max, _ test: (Int) -> Bool) -> Int? {
        guard test(p) else { return nil }
        var e = p + 1
        while e - p < limit && test(e) { e += 1 }
        return e
    }

    /// The regex-iterator walk: the leftmost match wins, the search resumes at its end, and text
    /// between matches becomes a piece of its own.
    @inline(__always)
    func splitOnMatches(from start: Int, into out: inout [Int32], _ matchEnd: (Int) -> Int?) {
        var pos = start, gapStart = start
        while pos < end {
            if let e = matchEnd(pos) {
                if pos > gapStart { out.append(Int32(pos)) }
                out.append(Int32(e))
                pos = e
                gapStart = e
            } else {
                pos += 1
            }
        }
        if gapStart < end { out.append(Int32(end)) }
    }

    /// The length of an English contraction ('s 't 'm 'd 're 've 'll) at `p`, or nil. Only ASCII letters
    /// are case-folded: no other code point lowercases to one of these letters.
    @inline(__always)
    func contractionLength(at p: Int, ignoringCase: Bool) -> Int? {
        guard codepoint(p) == 0x27, p + 1 < end else { return nil }
        @inline(__always) func folded(_ c: UInt32) -> UInt32 { ignoringCase && (0x41...0x5A).contains(c) ? c + 0x20 : c }
        let a = folded(codepoint(p + 1))
        switch a {
        case 0x73, 0x74, 0x6D, 0x64: return 2  // s t m d
        default: break
        }
        guard p + 2 < end else { return nil }
        switch (a, folded(codepoint(p + 2))) {
        case (0x72, 0x65), (0x76, 0x65), (0x6C, 0x6C): return 3  // re ve ll
        default: return nil
        }
    }

    func splitGPT2(from start: Int, into out: inout [Int32]) {
        let notOther: CodepointFlags = [.whitespace, .letter, .number]
        var pos = start
        while pos < end {
            defer { out.append(Int32(pos)) }
            if let n = contractionLength(at: pos, ignoringCase: false) {
                pos += n
                continue
            }
            // ` ?X+` for letters, numbers and "other": an optional space joins the run after it.
            let leadingSpace = codepoint(pos) == Self.space
            let head = leadingSpace ? flags(pos + 1) : flags(pos)
            if head.contains(.letter) || head.contains(.number) {
                let kind: CodepointFlags = head.contains(.letter) ? .letter : .number
                if leadingSpace { pos += 1 }
                while flags(pos).contains(kind) { pos += 1 }
                continue
            }
            if head.isDisjoint(with: notOther) && head.contains(.present) {
                if leadingSpace { pos += 1 }
                while flags(pos).isDisjoint(with: notOther) && flags(pos).contains(.present) { pos += 1 }
                continue
            }
            pos = whitespaceEnd(from: pos, newlinesEndRun: false)
        }
    }

    func splitLlama3(from start: Int, digitsPerGroup: Int, marksJoinLetters: Bool, into out: inout [Int32]) {
        let word: CodepointFlags = marksJoinLetters ? [.letter, .mark] : .letter
        let notOther = word.union([.whitespace, .number])
        var pos = start
        while pos < end {
            if let n = contractionLength(at: pos, ignoringCase: true) {
                pos += n
                out.append(Int32(pos))
                continue
            }
            let here = flags(pos)
            // `[^\r\n\p{L}\p{N}]?\p{L}+`: one leading non-letter may join the letters after it.
            if !isNewline(pos) && !here.contains(.number)
                && (!here.isDisjoint(with: word) || !flags(pos + 1).isDisjoint(with: word))
            {
                pos += 1
                while !flags(pos).isDisjoint(with: word) { pos += 1 }
                out.append(Int32(pos))
                continue
            }
            if here.contains(.number) {
                var groupStart = pos
                while flags(pos).contains(.number) {
                    pos += 1
                    if pos - groupStart >= digitsPerGroup {
                        out.append(Int32(pos))
                        groupStart = pos
                    }
                }
                if pos > groupStart { out.append(Int32(pos)) }
                continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            let leadingSpace = codepoint(pos) == Self.space
            if (leadingSpace ? flags(pos + 1) : here).isDisjoint(with: notOther) {
                if leadingSpace { pos += 1 }
                while flags(pos).isDisjoint(with: notOther) && flags(pos).contains(.present) { pos += 1 }
                while isNewline(pos) { pos += 1 }
                out.append(Int32(pos))
                continue
            }
            pos = whitespaceEnd(from: pos, newlinesEndRun: true)
            out.append(Int32(pos))
        }
    }

    /// Where the whitespace alternatives end a piece that starts at `pos`: `\s*[\r\n]+` (only when
    /// `newlinesEndRun`), then `\s+(?!\S)`, then `\s+`; a lone non-space character otherwise.
    @inline(__always)
    private func whitespaceEnd(from pos: Int, newlinesEndRun: Bool) -> Int {
        var n = 0
        var afterLastNewline = -1
        while flags(pos + n).contains(.whitespace) {
            if newlinesEndRun && isNewline(pos + n) { afterLastNewline = pos + n + 1 }
            n += 1
        }
        if afterLastNewline >= 0 { return afterLastNewline }
        if n > 1 && pos + n < end { return pos + n - 1 }  // leave the last space to the word after it
        return pos + max(n, 1)
    }

    /// The end of DeepSeek-V3's main regex matched at `p`, trying its alternatives in order, or nil.
    func deepSeekV3Match(at p: Int) -> Int? {
        let c = codepoint(p)
        // `[!"#…~][A-Za-z]+`: one ASCII punctuation or symbol character, then ASCII letters.
        let asciiPunctuation = (0x21...0x2F).contains(c) || (0x3A...0x40).contains(c)
            || (0x5B...0x60).contains(c) || (0x7B...0x7E).contains(c)
        if asciiPunctuation && isASCIILetter(p + 1) {
            var e = p + 2
            while isASCIILetter(e) { e += 1 }
            return e
        }
        let letterOrMark: CodepointFlags = [.letter, .mark]
        @inline(__always) func isLetterOrMark(_ i: Int) -> Bool { !flags(i).isDisjoint(with: letterOrMark) }
        @inline(__always) func isPunctuationOrSymbol(_ i: Int) -> Bool {
            let f = flags(i)
            return f.contains(.punctuation) || (f.contains(.symbol) && codepoint(i) != 0x7E)
        }
        // `[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+`
        if !isNewline(p) && !flags(p).contains(.letter) && !isPunctuationOrSymbol(p) && isLetterOrMark(p + 1) {
            var e = p + 2
            while isLetterOrMark(e) { e += 1 }
            return e
        }
        if isLetterOrMark(p) {
            var e = p + 1
            while isLetterOrMark(e) { e += 1 }
            return e
        }
        // ` ?[\p{P}\p{S}]+[\r\n]*`
        let runStart = c == Self.space ? p + 1 : p
        if isPunctuationOrSymbol(runStart) {
            var e = runStart + 1
            while isPunctuationOrSymbol(e) { e += 1 }
            while isNewline(e) { e += 1 }
            return e
        }
        // `\s*[\r\n]+|\s+(?!\S)|\s+`
        guard flags(p).contains(.whitespace) else { return nil }
        return whitespaceEnd(from: p, newlinesEndRun: true)
    }
}
