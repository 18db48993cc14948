/// Python's `int(str, base)` and `float(str)` parsing: surrounding whitespace, a sign, and
/// underscores between digits are allowed.
enum PythonNumbers {
    static func parseInt(_ text: String, base: Int) -> Int? {
        var s = PythonText.strip(text)
        var negative = false
        if let c = s.first, c == "+" || c == "-" {
            negative = c == "-"
            s.removeFirst()
        }
        if base == 16, s.lowercased().hasPrefix("0x") { s.removeFirst(2) }
        if base == 8, s.lowercased().hasPrefix("0o") { s.removeFirst(2) }
        if base == 2, s.lowercased().hasPrefix("0b") { s.removeFirst(2) }
        guard !s.isEmpty, s.first != "_", s.last != "_", !s.contains("__") else { return nil }
        guard let magnitude = Int(s.filter { $0 != "_" }, radix: base) else { return nil }
        return negative ? -magnitude : magnitude
    }

    static func parseFloat(_ text: String) -> Double? {
        let s = PythonText.strip(text)
        switch s.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE_".contains($0)) }) else { return nil }
        return Double(s.filter { $0 != "_" })
    }
}
