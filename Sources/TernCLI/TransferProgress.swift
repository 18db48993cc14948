import Client

/// Pull and push progress as Ollama's CLI draws it (spec §3.5): per digest a bar line
/// `pulling <12hex>: NN% ▕████      ▏ 1.2 GB/4.7 GB  45 MB/s  1m20s`, other statuses as spinner
/// lines; the first update of a layer with nothing done yet is not drawn.
final class TransferProgress: Sendable {
    private let display = ProgressDisplay()
    private let rates = RateTracker()

    func show(_ update: ProgressUpdate) {
        guard !update.digest.isEmpty else {
            display.show(update.status)
            return
        }
        if update.completed == 0 && !rates.hasSeen(update.digest) { return }
        let rate = rates.rate(update.digest, completed: update.completed, now: nowSeconds())
        display.show(Self.bar(label: update.status, completed: update.completed, total: update.total, rate: rate), key: update.digest)
    }

    func finish() { display.finish() }

    /// One bar line; `rate` in bytes per second (nil before there is one, and when done).
    static func bar(label: String, completed: Int, total: Int, rate: Double?, width: Int = 25) -> String {
        let fraction = total > 0 ? min(1, Double(completed) / Double(total)) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = "▕" + String(repeating: "█", count: filled) + String(repeating: " ", count: width - filled) + "▏"
        var line = "\(label): \(Int((fraction * 100).rounded(.down)))% \(bar) \(HumanBytes.format(completed))/\(HumanBytes.format(total))"
        if let rate, rate > 0, completed < total {
            line += "  \(HumanBytes.format(Int(rate)))/s  \(duration(Double(total - completed) / rate))"
        }
        return line
    }

    /// `1h2m`, `1m20s`, `45s`, as Go prints a rounded duration.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s >= 3600 { return "\(s / 3600)h\(s % 3600 / 60)m" }
        if s >= 60 { return "\(s / 60)m\(s % 60)s" }
        return "\(s)s"
    }
}
