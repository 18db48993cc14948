/// How far a moment is from now, as Ollama's CLI words it (`format.HumanTime`): "3 weeks ago",
/// "4 minutes from now", "Forever" beyond 20 years ahead, `never` for Go's zero time.
enum RelativeTime {
    /// `moment` relative to `now` (both seconds since the epoch); nil `moment` is the zero time.
    static func describe(_ moment: Double?, now: Double, never: String = "Never") -> String {
        guard let moment else { return never }
        let ago = now - moment
        if Int(ago / 3600) / 24 / 365 < -20 { return "Forever" }
        return ago < 0 ? duration(-ago) + " from now" : duration(ago) + " ago"
    }

    /// A positive span in words (`format.HumanDuration`).
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < 1 { return "Less than a second" }
        if s == 1 { return "1 second" }
        if s < 60 { return "\(s) seconds" }
        let minutes = Int(seconds / 60)
        if minutes == 1 { return "About a minute" }
        if minutes < 60 { return "\(minutes) minutes" }
        let hours = Int((seconds / 3600).rounded())
        if hours == 1 { return "About an hour" }
        if hours < 48 { return "\(hours) hours" }
        if hours < 24 * 7 * 2 { return "\(hours / 24) days" }
        if hours < 24 * 30 * 2 { return "\(hours / 24 / 7) weeks" }
        if hours < 24 * 365 * 2 { return "\(hours / 24 / 30) months" }
        return "\(Int(seconds / 3600 / 24 / 365)) years"
    }
}
