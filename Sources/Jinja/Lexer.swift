/// Splits a template into tokens the way jinja2's lexer does under HF's settings
/// (`trim_blocks=True`, `lstrip_blocks=True`, `keep_trailing_newline=False`):
/// - `{%-`, `{{-`, `{#-` strip all whitespace before the tag; `-%}`, `-}}`, `-#}` all after it;
/// - a block or comment tag alone on its line loses the spaces before it (`{%+` keeps them);
/// - the first newline after a block or comment tag is dropped (`+%}` keeps it);
/// - newlines are normalized to `\n` and one trailing newline of the template is dropped.
struct Lexer {
    private let source: [Unicode.Scalar]
    private let lineStarts: [Int]
    private var position = 0
    private var tokens: [Token] = []
    /// Whether the last tag's closing match ended in a newline (jinja2's `line_starting`), so text
    /// that follows starts a line for `lstrip_blocks`.
    private var lineStarting = true

    static func tokenize(_ template: String) throws(JinjaError) -> [Token] {
        var lexer = Lexer(template)
        try lexer.run()
        return lexer.tokens
    }

    private init(_ template: String) {
        var scalars: [Unicode.Scalar] = []
        var iterator = template.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while let c = pending {
            pending = iterator.next()
            if c == "\r" {
                scalars.append("\n")
                if pending == "\n" { pending = iterator.next() }
            } else {
                scalars.append(c)
            }
        }
        if scalars.last == "\n" { scalars.removeLast() }
        source = scalars
        var starts = [0]
        for (i, c) in scalars.enumerated() where c == "\n" { starts.append(i + 1) }
        lineStarts = starts
    }

    private func location(_ index: Int) -> SourceLocation {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return SourceLocation(line: low + 1, column: index - lineStarts[low] + 1)
    }

    private func error(_ message: String, at index: Int) -> JinjaError {
        let loc = location(index)
        return JinjaError(.syntax, message, line: loc.line, column: loc.column)
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let i = position + offset
        return i < source.count ? source[i] : nil
    }

    private func matches(_ literal: String, at index: Int) -> Bool {
        var i = index
        for c in literal.unicodeScalars {
            guard i < source.count, source[i] == c else { return false }
            i += 1
        }
        return true
    }

    private enum TagKind { case variable, block, comment }

    /// The next `{{`, `{%` or `{#` at or after `index`.
    private func nextTag(from index: Int) -> (Int, TagKind)? {
        var i = index
        while i + 1 < source.count {
            if source[i] == "{" {
                switch source[i + 1] {
                case "{": return (i, .variable)
                case "%": return (i, .block)
                case "#": return (i, .comment)
                default: break
                }
            }
            i += 1
        }
        return nil
    }

    private mutating func run() throws(JinjaError) {
        while position < source.count {
            guard let (start, kind) = nextTag(from: position) else {
                emitText(Array(source[position...]), at: position)
                break
            }
            let sign = start + 2 < source.count ? source[start + 2] : nil
            var text = Array(source[position..<start])
            if sign == "-" {
                text = Self.rstrip(text)
            } else if sign != "+" && kind != .variable {
                text = lstripLine(text)
            }
            emitText(text, at: position)
            position = start + 2 + (sign == "-" || sign == "+" ? 1 : 0)
            switch kind {
            case .comment: try skipComment(openedAt: start)
            case .variable: try lexTag(opener: start, closer: "}}", begin: .variableBegin, end: .variableEnd)
            case .block:
                if try !lexRaw(opener: start) {
                    try lexTag(opener: start, closer: "%}", begin: .blockBegin, end: .blockEnd)
                }
            }
        }
        tokens.append(Token(kind: .end, location: location(source.count)))
    }

    private mutating func emitText(_ text: [Unicode.Scalar], at index: Int) {
        guard !text.isEmpty else { return }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: text)
        tokens.append(Token(kind: .text(String(s)), location: location(index)))
    }

    /// `lstrip_blocks`: drop the spaces between the last line start and the tag when nothing else is there.
    private func lstripLine(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let lineStart = (text.lastIndex(of: "\n").map { $0 + 1 }) ?? 0
        guard lineStart > 0 || lineStarting, lineStart < text.count else { return text }
        guard text[lineStart...].allSatisfy(PythonText.isWhitespace) else { return text }
        return Array(text[..<lineStart])
    }

    static func rstrip(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var end = text.count
        while end > 0, PythonText.isWhitespace(text[end - 1]) { end -= 1 }
        return Array(text[..<end])
    }

    /// Consumes a tag's closing delimiter at `position` if it is there: `-X` eats the whitespace
    /// after it, `+X` keeps the newline after it, plain `X` drops one newline when `trimsNewline`.
    private mutating func closeTag(_ closer: String, trimsNewline: Bool) -> Bool {
        if matches("-" + closer, at: position) {
            position += 3
            var last: Unicode.Scalar?
            while let c = peek(), PythonText.isWhitespace(c) { last = c; position += 1 }
            lineStarting = last == "\n"
            return true
        }
        if matches("+" + closer, at: position) && trimsNewline {
            position += 3
            lineStarting = false
            return true
        }
        if matches(closer, at: position) {
            position += 2
            lineStarting = false
            if trimsNewline, peek() == "\n" {
                position += 1
                lineStarting = true
            }
            return true
        }
        return false
    }

    private mutating func skipComment(openedAt start: Int) throws(JinjaError) {
        while position < source.count {
            if closeTag("#}", trimsNewline: true) { return }
            position += 1
        }
        throw error("missing end of comment tag", at: start)
    }

    /// `{% raw %}…{% endraw %}`: the text between is output as is. Returns false when the block tag is not `raw`.
    private mutating func lexRaw(opener: Int) throws(JinjaError) -> Bool {
        let saved = position
        skipSpaces()
        guard matches("raw", at: position) else { position = saved; return false }
        position += 3
        skipSpaces()
        let closedWithStrip = matches("-%}", at: position)
        guard closedWithStrip || matches("%}", at: position) else { position = saved; return false }
        position += closedWithStrip ? 3 : 2
        if closedWithStrip { while let c = peek(), PythonText.isWhitespace(c) { position += 1 } }
        let bodyStart = position
        var searchFrom = position
        while let (start, kind) = nextTag(from: searchFrom) {
            searchFrom = start + 2
            guard kind == .block else { continue }
            var i = start + 2
            let sign = i < source.count ? source[i] : nil
            if sign == "-" || sign == "+" { i += 1 }
            while i < source.count, PythonText.isWhitespace(source[i]) { i += 1 }
            guard matches("endraw", at: i) else { continue }
            var body = Array(source[bodyStart..<start])
            if sign == "-" { body = Self.rstrip(body) } else if sign != "+" { body = lstripLine(body) }
            emitText(body, at: bodyStart)
            position = i + 6
            skipSpaces()
            guard closeTag("%}", trimsNewline: true) else { throw error("expected '%}' after endraw", at: position) }
            return true
        }
        throw error("missing end of raw directive", at: opener)
    }

    private mutating func skipSpaces() {
        while let c = peek(), PythonText.isWhitespace(c) { position += 1 }
    }

    /// The tokens of one `{{ … }}` or `{% … %}`. A closing delimiter only counts once every bracket
    /// opened inside the tag is closed, so `{{ {'a': {'b': 1}} }}` works.
    private mutating func lexTag(opener: Int, closer: String, begin: TokenKind, end: TokenKind) throws(JinjaError) {
        tokens.append(Token(kind: begin, location: location(opener)))
        var brackets: [Unicode.Scalar] = []
        while true {
            skipSpaces()
            guard position < source.count else {
                throw error("unexpected end of template, expected '\(closer)'", at: opener)
            }
            let here = position
            if brackets.isEmpty, closeTag(closer, trimsNewline: begin == .blockBegin) {
                tokens.append(Token(kind: end, location: location(here)))
                return
            }
            let kind = try lexToken()
            if case .symbol(let s) = kind {
                switch s {
                case "(": brackets.append(")")
                case "[": brackets.append("]")
                case "{": brackets.append("}")
                case ")", "]", "}":
                    guard let expected = brackets.popLast() else { throw error("unexpected '\(s)'", at: here) }
                    guard String(expected) == s else { throw error("unexpected '\(s)', expected '\(expected)'", at: here) }
                default: break
                }
            }
            tokens.append(Token(kind: kind, location: location(here)))
        }
    }

    private static let symbols = ["//", "**", "==", "!=", "<=", ">=",
                                  "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}",
                                  "<", ">", "=", ".", ":", "|", ",", ";"]

    private mutating func lexToken() throws(JinjaError) -> TokenKind {
        let c = source[position]
        if c == "'" || c == "\"" { return try lexString(quote: c) }
        if c.properties.numericType == .decimal, c.isASCII { return try lexNumber() }
        if c == "_" || c.properties.isXIDStart {
            let start = position
            position += 1
            while let d = peek(), d == "_" || d.properties.isXIDContinue { position += 1 }
            return .name(Self.string(source[start..<position]))
        }
        for symbol in Self.symbols where matches(symbol, at: position) {
            position += symbol.unicodeScalars.count
            return .symbol(symbol)
        }
        throw error("unexpected char '\(c)'", at: position)
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }

    private func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { $0 >= "0" && $0 <= "9" } ?? false }

    /// Digits with single underscores between them, as jinja2's `(\d+_)*\d+`.
    private mutating func digits() -> String {
        var out = ""
        while isDigit(peek()) {
            out.unicodeScalars.append(peek()!)
            position += 1
            if peek() == "_", isDigit(peek(1)) { position += 1 }
        }
        return out
    }

    private mutating func lexNumber() throws(JinjaError) -> TokenKind {
        let start = position
        if peek() == "0", let p = peek(1), "bBoOxX".unicodeScalars.contains(p) {
            let radix = p == "b" || p == "B" ? 2 : p == "o" || p == "O" ? 8 : 16
            position += 2
            var text = ""
            while let d = peek() {
                if d == "_" { position += 1; continue }
                guard d.isASCII, Int(String(d), radix: radix) != nil else { break }
                text.unicodeScalars.append(d)
                position += 1
            }
            guard let value = Int(text, radix: radix) else { throw error("invalid integer literal", at: start) }
            return .integer(value)
        }
        var text = digits()
        var isFloat = false
        if peek() == ".", isDigit(peek(1)) {
            position += 1
            text += "." + digits()
            isFloat = true
        }
        if let e = peek(), e == "e" || e == "E" {
            var i = 1
            if let s = peek(1), s == "+" || s == "-" { i = 2 }
            if isDigit(peek(i)) {
                let sign = i == 2 ? String(peek(1)!) : ""
                position += i
                text += "e" + sign + digits()
                isFloat = true
            }
        }
        if isFloat {
            guard let value = Double(text) else { throw error("invalid float literal", at: start) }
            return .float(value)
        }
        guard let value = Int(text) else { throw error("integer literal too large", at: start) }
        return .integer(value)
    }

    /// A quoted string with Python's backslash escapes (jinja2 decodes literals with `unicode-escape`).
    private mutating func lexString(quote: Unicode.Scalar) throws(JinjaError) -> TokenKind {
        let start = position
        position += 1
        var out = String.UnicodeScalarView()
        while let c = peek() {
            position += 1
            if c == quote { return .string(String(out)) }
            guard c == "\\" else { out.append(c); continue }
            guard let e = peek() else { break }
            position += 1
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "\n": break
            case "x", "u", "U":
                let width = e == "x" ? 2 : e == "u" ? 4 : 8
                let hex = Self.string(source[position..<min(position + width, source.count)])
                guard hex.unicodeScalars.count == width, let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else {
                    throw error("invalid \\\(e) escape in string literal", at: position - 2)
                }
                out.append(s)
                position += width
            case "0"..."7":
                var value = e.value - 48
                var count = 1
                while count < 3, let d = peek(), d >= "0", d <= "7" {
                    value = value * 8 + d.value - 48
                    position += 1
                    count += 1
                }
                out.append(Unicode.Scalar(value)!)
            default:
                out.append("\\")
                out.append(e)
            }
        }
        throw error("unterminated string literal", at: start)
    }
}
