import Client

/// Pull, push and create progress as Ollama's CLI draws it (spec §3.5): per digest a bar line
/// `pulling <12hex>: NN% ▕████      ▏ 1.2 GB/4.7 GB  45 MB/s  1m20s`, other statuses as spinner
/// lines; the first update of a layer with nothing done yet is not drawn.
final class TransferProgress: Sendable {
    private let display = ProgressDisplay()
    private let rates = RateTracker()

    /// A server's status line; one without a label (Ollama's create while it pulls) is named
    /// after its digest, as Ollama names it.
    func show(_ update: ProgressUpdate) {
        guard !update.digest.isEmpty else {
            display.show(update.status)
            return
        }
        let label = update.status.isEmpty ? "pulling \(update.digest.dropFirst(7).prefix(12))..." : update.status
        show(label, key: update.digest, completed: update.completed, total: update.total)
    }

    /// A status line without bytes, drawn with the spinner.
    func show(status: String) { display.show(status) }

    /// The bar of the transfer `key`.
    func show(_ label: String, key: String, completed: Int, total: Int) {
        if completed == 0 && !rates.hasSeen(key) { return }
        let rate = rates.rate(key, completed: completed, now: nowSeconds())
        display.show(Self.bar(label: label, completed: completed, total: total, rate: rate), key: key)
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
