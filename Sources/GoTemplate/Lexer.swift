/// One lexical item, as Go's `text/template/parse` lexer produces them. Positions are byte offsets
/// into the template's UTF-8 text, because Go reports execution errors by byte column.
struct Token: Equatable {
    enum Kind: Equatable {
        case error, bool, char, charConstant, assign, declare, eof, field, identifier
        case leftDelim, leftParen, number, pipe, rawString, rightDelim, rightParen, space, string, text, variable
        // Keywords: Go prints these as `<value>` in its messages.
        case block, `break`, `continue`, dot, define, `else`, end, `if`, `nil`, range, template, with

        var isKeyword: Bool {
            switch self {
            case .block, .break, .continue, .dot, .define, .else, .end, .if, .nil, .range, .template, .with: true
            default: false
            }
        }
    }

    var kind: Kind
    var position: Int
    var value: String
    var line: Int

    /// How Go's parser names the item in "unexpected X in Y" messages.
    var goDescription: String {
        switch kind {
        case .eof: return "EOF"
        case .error: return value
        case _ where kind.isKeyword: return "<\(value)>"
        default:
            let scalars = Array(value.unicodeScalars)
            if scalars.count > 10 {
                return GoQuote.quote(String(String.UnicodeScalarView(scalars.prefix(10)))) + "..."
            }
            return GoQuote.quote(value)
        }
    }
}

/// Splits template text into tokens: text runs, and inside `{{ }}` the words of an action.
/// Trim markers (`{{- ` and ` -}}`) remove the adjacent whitespace here, so the parser never sees it;
/// comments vanish here too. A lexical error ends the stream with an `.error` token, which the
/// parser reports when it reaches it (so earlier syntax errors are reported first, as in Go).
struct Lexer {
    private let input: [UInt8]
    private var pos = 0
    private var start = 0
    private var parenDepth = 0
    private var tokens: [Token] = []
    /// Newlines before `start`, kept incrementally so each token's line costs nothing.
    private var lineAtStart = 1
    private var scannedUpTo = 0

    static func tokenize(_ text: String) -> [Token] {
        var lexer = Lexer(input: Array(text.utf8))
        lexer.run()
        return lexer.tokens
    }

    private init(input: [UInt8]) { self.input = input }

    private static let space: Set<UInt8> = [0x20, 0x09, 0x0D, 0x0A]

    private mutating func run() {
        while true {
            guard lexText() else { return }
            if !lexAfterLeftDelim() { return }
        }
    }

    // MARK: - Emitting

    /// Tokens start at increasing offsets, so counting continues from the previous one.
    private mutating func line(at offset: Int) -> Int {
        for i in scannedUpTo..<offset where input[i] == 0x0A { lineAtStart += 1 }
        scannedUpTo = offset
        return lineAtStart
    }

    private mutating func emit(_ kind: Token.Kind) {
        let value = String(decoding: input[start..<pos], as: UTF8.self)
        tokens.append(Token(kind: kind, position: start, value: value, line: line(at: start)))
        start = pos
    }

    private mutating func ignore() { start = pos }

    /// Ends the stream with an error token located at the start of the unfinished item.
    private mutating func fail(_ message: String) -> Bool {
        tokens.append(Token(kind: .error, position: start, value: message, line: line(at: start)))
        return false
    }

    private func hasPrefix(_ s: String, at offset: Int) -> Bool {
        let bytes = Array(s.utf8)
        guard offset + bytes.count <= input.count else { return false }
        return input[offset..<offset + bytes.count].elementsEqual(bytes)
    }

    private func byte(at offset: Int) -> UInt8? { offset < input.count ? input[offset] : nil }

    // MARK: - Text and delimiters

    /// Emits the text up to the next `{{` (trimming its trailing space for `{{- `); false at EOF.
    private mutating func lexText() -> Bool {
        guard let delim = firstLeftDelim(from: pos) else {
            pos = input.count
            if pos > start { emit(.text) }
            emit(.eof)
            return false
        }
        pos = delim
        var trim = 0
        if hasLeftTrimMarker(at: delim + 2) {
            while pos - trim > start, Self.space.contains(input[pos - trim - 1]) { trim += 1 }
        }
        pos -= trim
        if pos > start { emit(.text) }
        pos += trim
        ignore()
        return true
    }

    private func firstLeftDelim(from offset: Int) -> Int? {
        var i = offset
        while i + 1 < input.count {
            if input[i] == UInt8(ascii: "{") && input[i + 1] == UInt8(ascii: "{") { return i }
            i += 1
        }
        return nil
    }

    private func hasLeftTrimMarker(at offset: Int) -> Bool {
        byte(at: offset) == UInt8(ascii: "-") && byte(at: offset + 1).map(Self.space.contains) == true
    }

    private func hasRightTrimMarker(at offset: Int) -> Bool {
        byte(at: offset).map(Self.space.contains) == true && byte(at: offset + 1) == UInt8(ascii: "-")
    }

    /// Whether `pos` is at `}}`, or at ` -}}` (the second value says so).
    private func atRightDelim(_ offset: Int) -> (delim: Bool, trim: Bool) {
        if hasRightTrimMarker(at: offset) && hasPrefix("}}", at: offset + 2) { return (true, true) }
        return (hasPrefix("}}", at: offset), false)
    }

    private mutating func skipLeadingSpace() {
        while let b = byte(at: pos), Self.space.contains(b) { pos += 1 }
        ignore()
    }

    /// At `{{`: a comment, or an action lexed up to and including its `}}`.
    private mutating func lexAfterLeftDelim() -> Bool {
        pos += 2
        let trim = hasLeftTrimMarker(at: pos)
        let afterMarker = trim ? 2 : 0
        if hasPrefix("/*", at: pos + afterMarker) {
            pos += afterMarker
            ignore()
            return lexComment()
        }
        emit(.leftDelim)
        pos += afterMarker
        ignore()
        parenDepth = 0
        return lexInsideAction()
    }

    private mutating func lexComment() -> Bool {
        pos += 2
        var end = pos
        while end + 1 < input.count, !(input[end] == UInt8(ascii: "*") && input[end + 1] == UInt8(ascii: "/")) { end += 1 }
        guard end + 1 < input.count else { return fail("unclosed comment") }
        pos = end + 2
        let (delim, trim) = atRightDelim(pos)
        guard delim else { return fail("comment ends before closing delimiter") }
        pos += (trim ? 2 : 0) + 2
        if trim { skipLeadingSpace() }
        ignore()
        return true
    }

    private mutating func lexRightDelim(trim: Bool) {
        if trim {
            pos += 2
            ignore()
        }
        pos += 2
        emit(.rightDelim)
        if trim { skipLeadingSpace() }
    }

    // MARK: - Inside an action

    private mutating func lexInsideAction() -> Bool {
        while true {
            let (delim, trim) = atRightDelim(pos)
            if delim {
                guard parenDepth == 0 else { return fail("unclosed left paren") }
                lexRightDelim(trim: trim)
                return true
            }
            guard let c = byte(at: pos) else { return fail("unclosed action") }
            pos += 1
            switch c {
            case _ where Self.space.contains(c):
                lexSpace()
            case UInt8(ascii: "="): emit(.assign)
            case UInt8(ascii: ":"):
                guard byte(at: pos) == UInt8(ascii: "=") else { return fail("expected :=") }
                pos += 1
                emit(.declare)
            case UInt8(ascii: "|"): emit(.pipe)
            case UInt8(ascii: "\""):
                guard lexQuoted(close: UInt8(ascii: "\""), kind: .string, unterminated: "unterminated quoted string") else { return false }
            case UInt8(ascii: "'"):
                guard lexQuoted(close: UInt8(ascii: "'"), kind: .charConstant, unterminated: "unterminated character constant") else { return false }
            case UInt8(ascii: "`"):
                while let b = byte(at: pos), b != UInt8(ascii: "`") { pos += 1 }
                guard pos < input.count else { return fail("unterminated raw quoted string") }
                pos += 1
                emit(.rawString)
            case UInt8(ascii: "$"):
                guard lexFieldOrVariable(.variable) else { return false }
            case UInt8(ascii: "."):
                if let next = byte(at: pos), next < UInt8(ascii: "0") || next > UInt8(ascii: "9") {
                    guard lexFieldOrVariable(.field) else { return false }
                } else {
                    pos -= 1
                    guard lexNumber() else { return false }
                }
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                pos -= 1
                guard lexNumber() else { return false }
            case UInt8(ascii: "("):
                emit(.leftParen)
                parenDepth += 1
            case UInt8(ascii: ")"):
                emit(.rightParen)
                parenDepth -= 1
                if parenDepth < 0 { return fail("unexpected right paren U+0029 ')'") }
            case _ where Self.isAlphaNumeric(c):
                pos -= 1
                guard lexIdentifier() else { return false }
            case 0x21...0x7E:
                emit(.char)
            default:
                return fail("unrecognized character in action: \(describe(scalarAt: pos - 1))")
            }
        }
    }

    /// A run of spaces; a single space that begins ` -}}` belongs to the delimiter instead.
    private mutating func lexSpace() {
        var count = 1
        while let b = byte(at: pos), Self.space.contains(b) {
            pos += 1
            count += 1
        }
        if hasRightTrimMarker(at: pos - 1) && hasPrefix("}}", at: pos + 1) {
            pos -= 1
            if count == 1 { return } // the loop sees the trim-marked delimiter next
        }
        emit(.space)
    }

    private mutating func lexQuoted(close: UInt8, kind: Token.Kind, unterminated: String) -> Bool {
        while true {
            guard let b = byte(at: pos), b != 0x0A else { return fail(unterminated) }
            pos += 1
            if b == UInt8(ascii: "\\") {
                guard let escaped = byte(at: pos), escaped != 0x0A else { return fail(unterminated) }
                pos += 1
            } else if b == close {
                emit(kind)
                return true
            }
        }
    }

    private static func isAlphaNumeric(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "_") || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
            || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
            || c >= 0x80 // letters outside ASCII; Go checks unicode.IsLetter, close enough for names
    }

    /// Go's `atTerminator`: what may follow a word without a space.
    private func atTerminator() -> Bool {
        guard let c = byte(at: pos) else { return true }
        if Self.space.contains(c) { return true }
        switch c {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: ")"), UInt8(ascii: "("): return true
        default: return hasPrefix("}}", at: pos)
        }
    }

    private static func describeScalar(at offset: Int, in input: [UInt8]) -> String {
        let scalar = String(decoding: input[offset...].prefix(4), as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + " '\(scalar)'"
    }

    private func describe(scalarAt offset: Int) -> String { Self.describeScalar(at: offset, in: input) }

    private mutating func lexFieldOrVariable(_ kind: Token.Kind) -> Bool {
        if atTerminator() {
            emit(kind == .variable ? .variable : .dot)
            return true
        }
        while let b = byte(at: pos), Self.isAlphaNumeric(b) { pos += 1 }
        guard atTerminator() else { return fail("bad character \(describe(scalarAt: pos))") }
        emit(kind)
        return true
    }

    private mutating func lexIdentifier() -> Bool {
        while let b = byte(at: pos), Self.isAlphaNumeric(b) { pos += 1 }
        guard atTerminator() else { return fail("bad character \(describe(scalarAt: pos))") }
        switch String(decoding: input[start..<pos], as: UTF8.self) {
        case "block": emit(.block)
        case "break": emit(.break)
        case "continue": emit(.continue)
        case "define": emit(.define)
        case "else": emit(.else)
        case "end": emit(.end)
        case "if": emit(.if)
        case "range": emit(.range)
        case "nil": emit(.nil)
        case "template": emit(.template)
        case "with": emit(.with)
        case "true", "false": emit(.bool)
        default: emit(.identifier)
        }
        return true
    }

    private mutating func accept(_ set: String) -> Bool {
        guard let b = byte(at: pos), set.utf8.contains(b) else { return false }
        pos += 1
        return true
    }

    private mutating func acceptRun(_ set: String) { while accept(set) {} }

    /// Go's deliberately loose number scanner; `NumberLiteral` does the strict parse.
    private mutating func lexNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") { digits = "0123456789abcdefABCDEF_" } else if accept("oO") { digits = "01234567_" } else if accept("bB") { digits = "01_" }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if let b = byte(at: pos), Self.isAlphaNumeric(b) {
            pos += 1
            return fail("bad number syntax: \(GoQuote.quote(String(decoding: input[start..<pos], as: UTF8.self)))")
        }
        emit(.number)
        return true
    }
}
