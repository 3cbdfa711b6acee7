import Foundation

/// Times as InfluxDB reads and writes them: answers carry RFC 3339 with
/// nanoseconds and trailing zeros trimmed (Go's `RFC3339Nano`), and queries
/// compare `time` with `'2024-01-01'`, `'2024-01-01 10:00:00'` or full RFC
/// 3339 strings. Civil dates are computed here rather than by Calendar,
/// because nanoseconds and the years 1677 to 2262 must come out exactly.
public enum TimeFormat {
    /// `2024-01-01T00:00:00.5Z`, or with `+01:00` when the offset is not zero.
    public static func rfc3339Nano(_ ns: Int64, offsetSeconds: Int) -> String {
        let local = ns.addingReportingOverflow(Int64(offsetSeconds) * Duration.second)
        let t = local.overflow ? ns : local.partialValue
        let secondsSinceEpoch = floorDiv(t, Duration.second)
        let nanos = t - secondsSinceEpoch * Duration.second
        let days = floorDiv(secondsSinceEpoch, 86400)
        let secondOfDay = secondsSinceEpoch - days * 86400
        let (year, month, day) = civil(fromDays: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if nanos > 0 {
            var fraction = pad(nanos, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        if offsetSeconds == 0 { return text + "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let magnitude = abs(offsetSeconds)
        return text + sign + pad(Int64(magnitude / 3600), 2) + ":" + pad(Int64(magnitude / 60 % 60), 2)
    }

    /// True for strings InfluxDB takes as times when compared with `time`:
    /// `YYYY-MM-DD` alone or followed by anything.
    static func looksLikeTime(_ s: String) -> Bool {
        let a = Array(s.utf8)
        guard a.count >= 10 else { return false }
        for (i, c) in a.prefix(10).enumerated() {
            if i == 4 || i == 7 {
                if c != UInt8(ascii: "-") { return false }
            } else if !(c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) {
                return false
            }
        }
        return true
    }

    struct InvalidTime: Error, CustomStringConvertible {
        var description: String { "invalid timestamp string" }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.f]` (both in `zone`) or
    /// RFC 3339 with an offset, into nanoseconds since the epoch.
    static func parse(_ s: String, zone: TimeZone?) throws -> Int64 {
        let a = Array(s.utf8)
        guard looksLikeTime(s), let year = number(a, 0, 4), let month = number(a, 5, 2), let day = number(a, 8, 2) else {
            throw InvalidTime()
        }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { throw InvalidTime() }
        let dateDays = days(fromCivil: year, month, day)
        if a.count == 10 {
            return try localToUTC(dateDays * 86400 * Duration.second, zone: zone)
        }
        // Both layouts continue with a separator and HH:MM:SS.
        guard a.count >= 19, a[10] == UInt8(ascii: " ") || a[10] == UInt8(ascii: "T"),
              a[13] == UInt8(ascii: ":"), a[16] == UInt8(ascii: ":"),
              let hour = number(a, 11, 2), let minute = number(a, 14, 2), let second = number(a, 17, 2),
              hour < 24, minute < 60, second < 60
        else { throw InvalidTime() }
        var i = 19
        var nanos: Int64 = 0
        if i < a.count && (a[i] == UInt8(ascii: ".") || a[i] == UInt8(ascii: ",")) {
            i += 1
            let start = i
            while i < a.count && a[i] >= UInt8(ascii: "0") && a[i] <= UInt8(ascii: "9") { i += 1 }
            let digits = i - start
            if digits == 0 || digits > 9 { throw InvalidTime() }
            guard let value = number(a, start, digits) else { throw InvalidTime() }
            nanos = value
            for _ in digits..<9 { nanos *= 10 }
        }
        let local = ((dateDays * 86400) + hour * 3600 + minute * 60 + second) * Duration.second + nanos
        if a[10] == UInt8(ascii: " ") {
            // "2006-01-02 15:04:05.999999": no offset allowed; the zone's time.
            guard i == a.count else { throw InvalidTime() }
            return try localToUTC(local, zone: zone)
        }
        // RFC 3339: Z or ±HH:MM must follow.
        guard i < a.count else { throw InvalidTime() }
        if a[i] == UInt8(ascii: "Z") {
            guard i + 1 == a.count else { throw InvalidTime() }
            return local
        }
        guard a[i] == UInt8(ascii: "+") || a[i] == UInt8(ascii: "-"), a.count == i + 6, a[i + 3] == UInt8(ascii: ":"),
              let oh = number(a, i + 1, 2), let om = number(a, i + 4, 2), oh < 24, om < 60
        else { throw InvalidTime() }
        let offset = (oh * 3600 + om * 60) * Duration.second
        return a[i] == UInt8(ascii: "+") ? local - offset : local + offset
    }

    /// The UTC instant of a wall-clock time in `zone` (UTC when nil), the
    /// way Go's `time.Date` resolves it near offset changes.
    static func localToUTC(_ local: Int64, zone: TimeZone?) throws -> Int64 {
        guard let zone else { return local }
        let first = Int64(offset(zone, at: local)) * Duration.second
        var utc = local - first
        let second = Int64(offset(zone, at: utc)) * Duration.second
        if second != first { utc = local - second }
        return utc
    }

    /// The zone's offset from UTC in seconds at an instant.
    static func offset(_ zone: TimeZone, at ns: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(floorDiv(ns, Duration.second))))
    }

    static func number(_ a: [UInt8], _ start: Int, _ count: Int) -> Int64? {
        guard start >= 0, start + count <= a.count else { return nil }
        var value: Int64 = 0
        for c in a[start..<(start + count)] {
            guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(c - UInt8(ascii: "0"))
        }
        return value
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719468
        let era = floorDiv(z, 146097)
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
