/// Python's view of strings: characters are Unicode scalars (what `len`, indexing and slicing
/// count), whitespace is `str.isspace`, and `strip`/`split` follow `str`'s rules.
enum PythonText {
    static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// `str.strip(chars)`: `chars` nil strips whitespace.
    static func strip(_ s: String, _ chars: String? = nil, leading: Bool = true, trailing: Bool = true) -> String {
        let scalars = Array(s.unicodeScalars)
        let set = chars.map { Set($0.unicodeScalars) }
        let strips = { (c: Unicode.Scalar) in set?.contains(c) ?? isWhitespace(c) }
        var start = 0, end = scalars.count
        if leading { while start < end, strips(scalars[start]) { start += 1 } }
        if trailing { while end > start, strips(scalars[end - 1]) { end -= 1 } }
        return string(scalars[start..<end])
    }

    /// `str.split(sep, maxsplit)`; `sep` nil splits on runs of whitespace and drops empty pieces.
    static func split(_ s: String, _ separator: String?, maxSplit: Int = -1) -> [String] {
        guard let separator else {
            var pieces: [String] = []
            var current = String.UnicodeScalarView()
            var inPiece = false
            var splits = 0
            let scalars = Array(s.unicodeScalars)
            var i = 0
            while i < scalars.count {
                let c = scalars[i]
                if isWhitespace(c) {
                    if inPiece {
                        pieces.append(String(current))
                        current = String.UnicodeScalarView()
                        inPiece = false
                        splits += 1
                        if maxSplit >= 0 && splits >= maxSplit {
                            while i < scalars.count, isWhitespace(scalars[i]) { i += 1 }
                            if i < scalars.count { pieces.append(string(scalars[i...])) }
                            return pieces
                        }
                    }
                } else {
                    current.append(c)
                    inPiece = true
                }
                i += 1
            }
            if inPiece { pieces.append(String(current)) }
            return pieces
        }
        let scalars = Array(s.unicodeScalars), sep = Array(separator.unicodeScalars)
        var pieces: [String] = []
        var start = 0, i = 0
        while i + sep.count <= scalars.count, maxSplit < 0 || pieces.count < maxSplit {
            if scalars[i..<(i + sep.count)].elementsEqual(sep) {
                pieces.append(string(scalars[start..<i]))
                i += sep.count
                start = i
            } else {
                i += 1
            }
        }
        pieces.append(string(scalars[start...]))
        return pieces
    }

    /// `str.replace(old, new, count)`, including Python's rule that an empty `old` matches between characters.
    static func replace(_ s: String, _ old: String, _ new: String, count: Int = -1) -> String {
        if old.isEmpty {
            var out = ""
            var done = 0
            for c in s.unicodeScalars {
                if count < 0 || done < count { out += new; done += 1 }
                out.unicodeScalars.append(c)
            }
            if count < 0 || done < count { out += new }
            return out
        }
        let pieces = split(s, old, maxSplit: count)
        return pieces.joined(separator: new)
    }

    /// `str.title()`: the first cased letter after an uncased character is uppercased, the rest lowercased.
    static func title(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for c in s.unicodeScalars {
            out += previousCased ? String(c).lowercased() : String(c).uppercased()
            previousCased = c.properties.isCased
        }
        return out
    }

    /// `str.capitalize()`: first character uppercased (title case), the rest lowercased.
    static func capitalize(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        return first.properties.titlecaseMapping + String(s.unicodeScalars.dropFirst()).lowercased()
    }
}

extension PythonText {
    /// Python's line boundaries for `str.splitlines`.
    static func isLineBreak(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// `str.splitlines(keepends)`: `\r\n` counts as one break; no empty last line after a final break.
    static func splitLines(_ s: String, keepEnds: Bool = false) -> [String] {
        let scalars = Array(s.unicodeScalars)
        var lines: [String] = []
        var start = 0, i = 0
        while i < scalars.count {
            guard isLineBreak(scalars[i]) else { i += 1; continue }
            var end = i + 1
            if scalars[i] == "\r", end < scalars.count, scalars[end] == "\n" { end += 1 }
            lines.append(string(scalars[start..<(keepEnds ? end : i)]))
            start = end
            i = end
        }
        if start < scalars.count { lines.append(string(scalars[start...])) }
        return lines
    }

    /// `str.isdigit()` and friends: false on an empty string; case tests need at least one cased character.
    static func classify(_ s: String, _ test: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        guard !scalars.isEmpty else { return false }
        switch test {
        case "isdigit": return scalars.allSatisfy { $0.properties.numericType == .decimal || $0.properties.numericType == .digit }
        case "isalpha": return scalars.allSatisfy { $0.properties.isAlphabetic }
        case "isalnum": return scalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        case "isspace": return scalars.allSatisfy(isWhitespace)
        case "islower": return scalars.contains(where: { $0.properties.isCased }) && !scalars.contains(where: { $0.properties.isUppercase || $0.properties.generalCategory == .titlecaseLetter })
        default: return scalars.contains(where: { $0.properties.isCased }) && !scalars.contains(where: { $0.properties.isLowercase || $0.properties.generalCategory == .titlecaseLetter })
        }
    }
}
