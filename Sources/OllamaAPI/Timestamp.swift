#if canImport(Glibc)
import Glibc
#endif

/// RFC 3339 timestamps with nanoseconds as Go's `time.Time` marshals them (trailing zeros of the
/// fraction dropped): generation chunks in UTC (`…Z`), file times in local time with an offset.
public enum Timestamp {
    /// Now, in UTC.
    public static func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return format(seconds: Int(ts.tv_sec), nanoseconds: Int(ts.tv_nsec), local: false)
    }

    /// Nanoseconds since the epoch, for computing expiry times.
    public static func nowNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// `seconds`+`nanoseconds` since the epoch, in UTC or the machine's local time.
    public static func format(seconds: Int, nanoseconds: Int, local: Bool) -> String {
        var t = time_t(seconds)
        var parts = tm()
        if local { localtime_r(&t, &parts) } else { gmtime_r(&t, &parts) }
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var out = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        if nanoseconds > 0 {
            var fraction = String(nanoseconds)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            out += "." + fraction
        }
        let offset = local ? Int(parts.tm_gmtoff) : 0
        if offset == 0 { return out + "Z" }
        let magnitude = abs(offset)
        return out + (offset < 0 ? "-" : "+") + two(Int32(magnitude / 3600)) + ":" + two(Int32(magnitude / 60 % 60))
    }
}
