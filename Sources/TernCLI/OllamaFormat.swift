import Engine

/// Output formats the Ollama CLI uses, so Tern's output reads the same.
enum OllamaFormat {
    /// A duration as Go's `time.Duration.String()` prints it: "1.234567891s", "85.331ms", "2m3.1s".
    static func duration(nanoseconds ns: UInt64) -> String {
        func trimmed(_ whole: UInt64, _ fraction: UInt64, digits: Int) -> String {
            var f = String(fraction)
            f = String(repeating: "0", count: digits - f.count) + f
            while f.hasSuffix("0") { f.removeLast() }
            return f.isEmpty ? "\(whole)" : "\(whole).\(f)"
        }
        switch ns {
        case 0: return "0s"
        case ..<1_000: return "\(ns)ns"
        case ..<1_000_000: return trimmed(ns / 1_000, ns % 1_000, digits: 3) + "µs"
        case ..<1_000_000_000: return trimmed(ns / 1_000_000, ns % 1_000_000, digits: 6) + "ms"
        default:
            let totalSeconds = ns / 1_000_000_000, fraction = ns % 1_000_000_000
            let hours = totalSeconds / 3600, minutes = totalSeconds / 60 % 60, seconds = totalSeconds % 60
            var out = ""
            if hours > 0 { out += "\(hours)h" }
            if hours > 0 || minutes > 0 { out += "\(minutes)m" }
            return out + trimmed(seconds, fraction, digits: 9) + "s"
        }
    }

    /// `--verbose` statistics: each line only when its value is positive, labels padded to 22.
    static func statistics(_ s: GenerationStats, loadDuration: UInt64) -> String {
        var lines: [(String, String)] = []
        func rate(_ count: Int, _ ns: UInt64) -> String {
            let r = Double(count) / (Double(ns) / 1e9)
            return String((r * 100).rounded() / 100).paddedDecimals(2) + " tokens/s"
        }
        if s.totalDuration > 0 { lines.append(("total duration", duration(nanoseconds: s.totalDuration + loadDuration))) }
        if loadDuration > 0 { lines.append(("load duration", duration(nanoseconds: loadDuration))) }
        if s.promptTokens > 0 { lines.append(("prompt eval count", "\(s.promptTokens) token(s)")) }
        if s.promptDuration > 0 {
            lines.append(("prompt eval duration", duration(nanoseconds: s.promptDuration)))
            lines.append(("prompt eval rate", rate(s.promptTokens, s.promptDuration)))
        }
        if s.generatedTokens > 0 { lines.append(("eval count", "\(s.generatedTokens) token(s)")) }
        if s.generationDuration > 0, s.generatedTokens > 0 {
            lines.append(("eval duration", duration(nanoseconds: s.generationDuration)))
            lines.append(("eval rate", rate(s.generatedTokens, s.generationDuration)))
        }
        return lines.map { label, value in
            let head = label + ":"
            return head + String(repeating: " ", count: max(1, 22 - head.count)) + value
        }.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// "12.5" → "12.50" for `digits` 2.
    func paddedDecimals(_ digits: Int) -> String {
        guard let dot = firstIndex(of: ".") else { return self + "." + String(repeating: "0", count: digits) }
        let have = distance(from: dot, to: endIndex) - 1
        return self + String(repeating: "0", count: max(0, digits - have))
    }
}
