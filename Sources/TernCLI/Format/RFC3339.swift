/// Reads the RFC 3339 timestamps the API writes (`2024-05-01T12:34:56.123456789-07:00`) as
/// seconds since the epoch. Seconds, not nanoseconds: "forever" expiries lie ~292 years ahead,
/// past what an Int64 of nanoseconds holds.
enum RFC3339 {
    /// Seconds since the epoch; nil for unreadable text and for Go's zero time (year 1), which
    /// the API sends for "never".
    static func seconds(_ text: String) -> Double? {
        let u = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= u.count else { return nil }
            var n = 0
            for c in u[range] {
                guard (0x30...0x39).contains(c) else { return nil }
                n = n * 10 + Int(c - 0x30)
            }
            return n
        }
        guard u.count >= 20, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54 || u[10] == 0x74, u[13] == 0x3A, u[16] == 0x3A,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        if year == 1 && month == 1 && day == 1 { return nil }
        var i = 19
        var fraction = 0.0
        if u[i] == 0x2E {
            var scale = 0.1
            i += 1
            while i < u.count, (0x30...0x39).contains(u[i]) {
                fraction += Double(u[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        guard i < u.count else { return nil }
        var offset = 0
        if u[i] == 0x2B || u[i] == 0x2D {
            guard let h = number((i + 1)..<(i + 3)), i + 3 < u.count, u[i + 3] == 0x3A, let m = number((i + 4)..<(i + 6)) else { return nil }
            offset = (h * 3600 + m * 60) * (u[i] == 0x2D ? -1 : 1)
        } else if u[i] != 0x5A && u[i] != 0x7A {
            return nil
        }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }
}
