/// Byte counts as people write them ("48GiB", "2TiB", "404GB", "512MiB", "1.5GiB", "123") and as
/// the planner prints them (binary units, one decimal).
public enum ByteSize {
    private static let units: [(suffix: String, factor: Double)] = [
        ("kib", 0x1p10), ("mib", 0x1p20), ("gib", 0x1p30), ("tib", 0x1p40),
        ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("tb", 1e12),
        ("k", 0x1p10), ("m", 0x1p20), ("g", 0x1p30), ("t", 0x1p40), ("b", 1),
    ]

    /// The bytes `text` names, or nil when it is not a non-negative number with an optional unit.
    public static func parse(_ text: String) -> Int? {
        let lowered = text.lowercased().filter { $0 != " " }
        let unit = units.first { lowered.hasSuffix($0.suffix) }
        let number = unit.map { String(lowered.dropLast($0.suffix.count)) } ?? lowered
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        let bytes = value * (unit?.factor ?? 1)
        guard bytes < 0x1p62 else { return nil }
        return Int(bytes.rounded())
    }

    /// "47.5 GiB", "457.0 MiB", "912 B".
    public static func format(_ bytes: Int) -> String {
        let magnitude = Double(abs(bytes))
        for (name, factor) in [("TiB", 0x1p40), ("GiB", 0x1p30), ("MiB", 0x1p20), ("KiB", 0x1p10)] where magnitude >= factor {
            return decimal(Double(bytes) / factor) + " " + name
        }
        return "\(bytes) B"
    }

    /// "800 GB/s": bandwidths in decimal units, as vendors quote them.
    public static func formatRate(_ bytesPerSecond: Double) -> String {
        bytesPerSecond >= 1e9 ? decimal(bytesPerSecond / 1e9) + " GB/s" : decimal(bytesPerSecond / 1e6) + " MB/s"
    }

    /// One decimal, without Foundation's formatter.
    public static func decimal(_ value: Double) -> String {
        let tenths = Int((abs(value) * 10).rounded())
        return (value < 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10)"
    }
}
