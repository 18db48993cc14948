/// Go's `time.Duration` text: `ParseDuration`'s syntax ("300ms", "1.5h", "1h30m", "-1m", "0") in
/// nanoseconds. Ollama reads `keep_alive` strings and `OLLAMA_KEEP_ALIVE` with it.
public enum GoDuration {
    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// Nanoseconds, or nil when `text` is not a Go duration.
    public static func parse(_ text: String) -> Double? {
        var rest = Substring(text)
        var sign = 1.0
        if let c = rest.first, c == "-" || c == "+" {
            sign = c == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        return sign * total
    }

    /// What `time.Duration.String()` prints: "1.234567891s", "85.331ms", "2m3.1s", "0s".
    public static func format(nanoseconds ns: UInt64) -> String {
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
}
