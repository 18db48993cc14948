/// Byte counts as Ollama's CLI prints them (`format.HumanBytes`): base 1000, an integer from 10
/// up (truncated), one decimal below unless whole: "404 GB", "2.5 GB", "2 GB", "512 B".
enum HumanBytes {
    static func format(_ bytes: Int) -> String {
        let units: [(Double, String)] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")]
        guard let (scale, unit) = units.first(where: { Double(bytes) >= $0.0 }) else { return "\(bytes) B" }
        let value = Double(bytes) / scale
        if value >= 10 || value == value.rounded(.towardZero) { return "\(Int(value)) \(unit)" }
        return "\(oneDecimal(value)) \(unit)"
    }

    /// `%.1f`: rounded half to even on the exact binary value, as Go's formatting does.
    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded(.toNearestOrEven))
        return "\(tenths / 10).\(tenths % 10)"
    }
}
