import Engine
import OllamaAPI

/// Output formats the Ollama CLI uses, so Tern's output reads the same.
enum OllamaFormat {
    /// `--verbose` statistics: each line only when its value is positive, labels padded to 22,
    /// durations as Go prints them, rates with two decimals.
    static func statistics(_ m: Metrics) -> String {
        var lines: [(String, String)] = []
        func duration(_ ns: UInt64) -> String { GoDuration.format(nanoseconds: ns) }
        func rate(_ count: Int, _ ns: UInt64) -> String {
            let hundredths = Int((Double(count) / (Double(ns) / 1e9) * 100).rounded())
            let fraction = hundredths % 100
            return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) tokens/s"
        }
        if m.totalDuration > 0 { lines.append(("total duration", duration(m.totalDuration))) }
        if m.loadDuration > 0 { lines.append(("load duration", duration(m.loadDuration))) }
        if m.promptEvalCount > 0 { lines.append(("prompt eval count", "\(m.promptEvalCount) token(s)")) }
        if m.promptEvalDuration > 0 {
            lines.append(("prompt eval duration", duration(m.promptEvalDuration)))
            lines.append(("prompt eval rate", rate(m.promptEvalCount, m.promptEvalDuration)))
        }
        if m.evalCount > 0 { lines.append(("eval count", "\(m.evalCount) token(s)")) }
        if m.evalDuration > 0 {
            lines.append(("eval duration", duration(m.evalDuration)))
            lines.append(("eval rate", rate(m.evalCount, m.evalDuration)))
        }
        return lines.map { label, value in
            let head = label + ":"
            return head + String(repeating: " ", count: max(1, 22 - head.count)) + value
        }.joined(separator: "\n") + "\n"
    }
}

extension Metrics {
    /// The local engine's statistics in the API's terms; `loadDuration` counts into the total,
    /// as the server counts the load into a request's total duration.
    init(_ s: GenerationStats, loadDuration: UInt64) {
        self.init()
        totalDuration = s.totalDuration + loadDuration
        self.loadDuration = loadDuration
        promptEvalCount = s.promptTokens
        promptEvalDuration = s.promptDuration
        evalCount = s.generatedTokens
        evalDuration = s.generatedTokens > 0 ? s.generationDuration : 0
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
