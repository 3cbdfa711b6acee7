/// InfluxQL durations (`10s`, `1h30m`, `2w`): InfluxDB's own parser rather
/// than Go's, because InfluxQL adds days and weeks. Arithmetic wraps like
/// Go's, so an overflow is detected the way InfluxDB detects it.
public enum Duration {
    public static let nanosecond: Int64 = 1
    public static let microsecond: Int64 = 1_000
    public static let millisecond: Int64 = 1_000_000
    public static let second: Int64 = 1_000_000_000
    public static let minute: Int64 = 60 * second
    public static let hour: Int64 = 60 * minute
    public static let day: Int64 = 24 * hour
    public static let week: Int64 = 7 * day

    struct InvalidDuration: Error, CustomStringConvertible {
        var description: String
    }

    /// Nanoseconds, or InfluxDB's error (`invalid duration`, `overflowed
    /// duration 9999999999999h: choose a smaller duration or INF`).
    public static func parse(_ text: String) throws -> Int64 {
        let a = Array(text.unicodeScalars)
        if a.count < 2 { throw InvalidDuration(description: "invalid duration") }
        var total: Int64 = 0
        var i = 0
        var negative = false
        if a[0] == "-" {
            negative = true
            i += 1
        }
        var measure: Int64 = 0
        var unit = ""
        while i < a.count {
            let start = i
            while i < a.count && isDigit(a[i]) { i += 1 }
            if i >= a.count || i == start { throw InvalidDuration(description: "invalid duration") }
            guard let n = Int64(String(String.UnicodeScalarView(a[start..<i]))) else {
                throw InvalidDuration(description: "invalid duration")
            }
            measure = n
            unit = String(Character(a[i]))
            switch a[i] {
            case "n":
                if i + 1 < a.count && a[i + 1] == "s" {
                    unit = "ns"
                    total = total &+ n
                    i += 2
                    continue
                }
                throw InvalidDuration(description: "invalid duration")
            case "u", "µ": total = total &+ n &* microsecond
            case "m":
                if i + 1 < a.count && a[i + 1] == "s" {
                    unit = "ms"
                    total = total &+ n &* millisecond
                    i += 2
                    continue
                }
                total = total &+ n &* minute
            case "s": total = total &+ n &* second
            case "h": total = total &+ n &* hour
            case "d": total = total &+ n &* day
            case "w": total = total &+ n &* week
            default: throw InvalidDuration(description: "invalid duration")
            }
            i += 1
        }
        if total < 0 && !negative {
            throw InvalidDuration(description: "overflowed duration \(measure)\(unit): choose a smaller duration or INF")
        }
        return negative ? 0 &- total : total
    }

    /// The shortest InfluxQL spelling in one unit (`90s` is `90s`, `2h` is `2h`).
    public static func format(_ d: Int64) -> String {
        if d == 0 { return "0s" }
        if d % week == 0 { return "\(d / week)w" }
        if d % day == 0 { return "\(d / day)d" }
        if d % hour == 0 { return "\(d / hour)h" }
        if d % minute == 0 { return "\(d / minute)m" }
        if d % second == 0 { return "\(d / second)s" }
        if d % millisecond == 0 { return "\(d / millisecond)ms" }
        return "\(d / microsecond)u"
    }

    /// Go's `time.Duration.String()` (`168h0m0s`, `1h30m0s`, `0s`), which
    /// `SHOW RETENTION POLICIES` prints.
    public static func goString(_ d: Int64) -> String {
        if d == 0 { return "0s" }
        var u = d.magnitude
        let negative = d < 0
        var text = ""
        if u < UInt64(second) {
            if u < UInt64(microsecond) { return (negative ? "-" : "") + "\(u)ns" }
            if u < UInt64(millisecond) {
                return (negative ? "-" : "") + fraction(u, UInt64(microsecond)) + "µs"
            }
            return (negative ? "-" : "") + fraction(u, UInt64(millisecond)) + "ms"
        }
        let seconds = fraction(u % UInt64(minute), UInt64(second)) + "s"
        u /= UInt64(minute)
        text = seconds
        if u > 0 {
            text = "\(u % 60)m" + text
            u /= 60
            if u > 0 { text = "\(u)h" + text }
        }
        return (negative ? "-" : "") + text
    }

    private static func fraction(_ value: UInt64, _ unit: UInt64) -> String {
        let whole = value / unit
        var rest = value % unit
        guard rest > 0 else { return "\(whole)" }
        var digits = ""
        var scale = unit / 10
        while rest > 0 && scale > 0 {
            digits += "\(rest / scale)"
            rest %= scale
            scale /= 10
        }
        return "\(whole)." + digits
    }
}
