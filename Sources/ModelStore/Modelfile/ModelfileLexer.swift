/// One instruction as written: its keyword (lower-cased; PARAMETER and MESSAGE carry their
/// name or role), its unquoted argument, and the line it starts on.
struct ModelfileInstruction: Equatable {
    enum Keyword: String, CaseIterable {
        case from, license, template, system, adapter, draft, renderer, parser, parameter, message, requires
    }

    var keyword: Keyword
    /// The parameter name (PARAMETER) or role (MESSAGE); empty otherwise.
    var name: String
    var argument: String
    var line: Int
}

/// Splits a Modelfile into instructions with Ollama's state machine (parser.ParseFile), so that
/// the same text yields the same arguments: a value ends at a newline only once it is complete
/// (unquoted, `"…"`, or `"""…"""`), quotes are stripped without escape processing, and
/// non-printable characters other than the kept newlines, spaces and tabs are dropped.
///
/// Deliberate differences: a CRLF counts as one line for line numbers; an error names the line
/// of the offending character rather than the next one; extra blanks before a PARAMETER name or
/// MESSAGE role are skipped (Ollama reads an empty name there).
struct ModelfileLexer {
    private enum State { case idle, keyword, value, parameterName, role, comment }

    private static let invalidCommand = "command must be one of \"from\", \"license\", \"template\", \"system\", \"adapter\", \"draft\", \"renderer\", \"parser\", \"parameter\", \"message\", or \"requires\""
    private static let invalidRole = "message role must be one of \"system\", \"user\", or \"assistant\""

    static func instructions(in text: String) throws(ModelfileError) -> [ModelfileInstruction] {
        var result: [ModelfileInstruction] = []
        var state = State.idle
        var buffer = String.UnicodeScalarView()
        var keyword = ModelfileInstruction.Keyword.from
        var name = ""
        var line = 1
        var startLine = 1
        var previous: Unicode.Scalar?

        func isSpace(_ r: Unicode.Scalar) -> Bool { r == " " || r == "\t" }
        func isNewline(_ r: Unicode.Scalar) -> Bool { r == "\r" || r == "\n" }
        func isLetter(_ r: Unicode.Scalar) -> Bool { ("a"..."z").contains(r) || ("A"..."Z").contains(r) }
        func isNameCharacter(_ r: Unicode.Scalar) -> Bool { isLetter(r) || ("0"..."9").contains(r) || r == "_" }

        for r in text.unicodeScalars {
            // The line this character is on; a newline belongs to the line it ends.
            let here = line
            if r == "\n" && previous == "\r" {
                // second half of a CRLF: same line break
            } else if isNewline(r) {
                line += 1
            }
            previous = r

            switch state {
            case .idle:
                if r == "#" {
                    state = .comment
                } else if !isSpace(r) && !isNewline(r) {
                    state = .keyword
                    startLine = here
                    buffer = .init()
                    if isPrintable(r) { buffer.append(r) }
                }
            case .comment:
                if isNewline(r) { state = .idle }
            case .keyword:
                if isLetter(r) {
                    buffer.append(r)
                } else if isSpace(r) {
                    guard let k = ModelfileInstruction.Keyword(rawValue: String(buffer).lowercased()) else {
                        throw ModelfileError(line: here, Self.invalidCommand)
                    }
                    keyword = k
                    name = ""
                    buffer = .init()
                    state = k == .parameter ? .parameterName : k == .message ? .role : .value
                } else {
                    throw ModelfileError(line: here, Self.invalidCommand)
                }
            case .parameterName, .role:
                if (state == .parameterName ? isNameCharacter(r) : isLetter(r)) {
                    buffer.append(r)
                } else if isSpace(r) {
                    if buffer.isEmpty { continue }
                    name = String(buffer)
                    if state == .role && !["system", "user", "assistant"].contains(name) {
                        throw ModelfileError(line: here, Self.invalidRole)
                    }
                    buffer = .init()
                    state = .value
                } else {
                    throw ModelfileError(line: here, "unexpected EOF: \(String(buffer))")
                }
            case .value:
                if isNewline(r), let argument = unquote(String(buffer).trimmingBlanks()) {
                    result.append(ModelfileInstruction(keyword: keyword, name: name, argument: argument, line: startLine))
                    state = .idle
                } else if isNewline(r) || isSpace(r) || isPrintable(r) {
                    // An incomplete value keeps its newlines; blanks are kept and trimmed at the ends.
                    buffer.append(r)
                }
            }
        }

        switch state {
        case .idle, .comment: break
        case .value:
            guard let argument = unquote(String(buffer).trimmingBlanks()) else {
                throw ModelfileError(line: startLine, "unexpected EOF")
            }
            result.append(ModelfileInstruction(keyword: keyword, name: name, argument: argument, line: startLine))
        case .keyword, .parameterName, .role:
            throw ModelfileError(line: startLine, "unexpected EOF")
        }
        return result
    }

    /// The value without its quotes, or nil while a quote is still open. Bytes, as Go compares
    /// them: a combining mark after a quote must not hide the quote.
    static func unquote(_ s: String) -> String? {
        let u = Array(s.utf8)
        let quote = UInt8(ascii: "\"")
        if u.count >= 3, u[0] == quote, u[1] == quote, u[2] == quote {
            guard u.count >= 6, u[(u.count - 3)...].allSatisfy({ $0 == quote }) else { return nil }
            return String(decoding: u[3..<(u.count - 3)], as: UTF8.self)
        }
        if u.first == quote {
            guard u.count >= 2, u.last == quote else { return nil }
            return String(decoding: u[1..<(u.count - 1)], as: UTF8.self)
        }
        return s
    }

    /// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrintable(_ r: Unicode.Scalar) -> Bool {
        if r == " " { return true }
        switch r.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}

extension String {
    /// Without leading and trailing blanks (space, tab, CR, LF): the only whitespace a value's
    /// buffer can hold, since other spaces are not printable and were dropped.
    func trimmingBlanks() -> String {
        let blanks: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]
        var scalars = Substring(self).unicodeScalars[...]
        while let f = scalars.first, blanks.contains(f) { scalars = scalars.dropFirst() }
        while let l = scalars.last, blanks.contains(l) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
