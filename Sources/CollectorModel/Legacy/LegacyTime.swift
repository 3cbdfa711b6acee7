#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Time formats of the legacy APIs, parsed and printed by arithmetic on
/// the proleptic Gregorian calendar in UTC (ISO 8601's own rule, also for
/// years before 1583), not by Foundation's formatters: those need ICU,
/// which would triple the agent's size, and a formatter costs more to make
/// than the page it prints in.
public enum LegacyTime {
    /// ISO 8601 with or without seconds, fraction and zone; no zone means
    /// UTC: `2020-11-12T11:10Z`, `2020-11-12T11:10:00.5+01:00`,
    /// `2020-11-12T11:10:00+0100`, `2020-11-12T11:10:00`.
    public static func parseISO8601(_ text: String) -> Date? {
        var scanner = TimeTextScanner(text.trimmingSpaces())
        guard scanner.bytes.count <= 64,
              let year = scanner.digits(4, 4), scanner.take(0x2D), let month = scanner.digits(2, 2), scanner.take(0x2D),
              let day = scanner.digits(2, 2), scanner.take(0x54), let hour = scanner.digits(2, 2), scanner.take(0x3A),
              let minute = scanner.digits(2, 2)
        else { return nil }
        var second = 0
        var fraction = 0.0
        if scanner.take(0x3A) {
            guard let parsed = scanner.digits(2, 2) else { return nil }
            second = parsed
            if scanner.take(0x2E) || scanner.take(0x2C) {
                guard let digits = scanner.fractionDigits() else { return nil }
                fraction = digits
            }
        }
        guard let offset = scanner.zoneOffset(), scanner.isAtEnd,
              (1...12).contains(month), (1...CivilDate.days(inMonth: month, of: year)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilDate(year: Int64(year), month: Int64(month), day: Int64(day)).daysSinceEpoch
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `2020-11-12T11:10:00Z`: UTC, seconds, `Z`, the instant rounded to
    /// the millisecond first, as Foundation's formatter printed it.
    public static func iso8601Seconds(_ date: Date) -> String {
        let (day, time, _) = split(date)
        return "\(day.text)T\(clock(time))Z"
    }

    /// RFC 3339 UTC with milliseconds: `2019-10-10T14:10:10.123Z`.
    public static func rfc3339Fraction(_ date: Date) -> String {
        let (day, time, millis) = split(date)
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : String(millis)
        return "\(day.text)T\(clock(time)).\(fraction)Z"
    }

    /// HTTP date: `Thu, 10 Oct 2019 14:10:10 GMT`.
    public static func httpDate(_ date: Date) -> String {
        let (day, time, _) = split(date)
        let weekday = weekdays[Int((day.daysSinceEpoch + 4).flooringModulo(7))]
        let month = months[Int(day.month) - 1]
        return "\(weekday), \(twoDigits(day.day)) \(month) \(day.text.dropLast(6)) \(clock(time)) GMT"
    }

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The UTC day, the second of that day and the millisecond of that
    /// second, of the instant rounded to the millisecond.
    private static func split(_ date: Date) -> (CivilDate, Int64, Int64) {
        let millis = Int64(((date.timeIntervalSince1970 * 1000) + 0.5).rounded(.down).clampedToInt64)
        let seconds = millis.flooringDivided(by: 1000)
        let day = CivilDate(daysSinceEpoch: seconds.flooringDivided(by: 86_400))
        return (day, seconds - day.daysSinceEpoch * 86_400, millis - seconds * 1000)
    }

    private static func clock(_ time: Int64) -> String {
        "\(twoDigits(time / 3600)):\(twoDigits(time / 60 % 60)):\(twoDigits(time % 60))"
    }

    private static func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : String(value) }
}

extension Double {
    /// Times far outside any calendar a log holds still print something.
    fileprivate var clampedToInt64: Double {
        guard isFinite else { return 0 }
        return Swift.min(Swift.max(self, -9.2e18), 9.2e18)
    }
}

/// Reads a time's text byte by byte.
struct TimeTextScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var isAtEnd: Bool { index == bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Between `minimum` and `maximum` ASCII digits, as a number.
    mutating func digits(_ minimum: Int, _ maximum: Int) -> Int? {
        var value = 0
        var count = 0
        while index < bytes.count, count < maximum, (0x30...0x39).contains(bytes[index]) {
            value = value * 10 + Int(bytes[index] - 0x30)
            index += 1
            count += 1
        }
        return count >= minimum ? value : nil
    }

    /// The digits after a decimal point, as a fraction of a second.
    mutating func fractionDigits() -> Double? {
        var value = 0.0
        var scale = 1.0
        let start = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
            if index - start < 9 {
                scale /= 10
                value += Double(bytes[index] - 0x30) * scale
            }
            index += 1
        }
        return index > start ? value : nil
    }

    /// `Z`, `±HH:MM`, `±HHMM` or nothing (UTC), in seconds east of UTC.
    mutating func zoneOffset() -> Int? {
        if isAtEnd || take(0x5A) { return 0 }
        let sign: Int
        if take(0x2B) { sign = 1 } else if take(0x2D) { sign = -1 } else { return nil }
        guard let hours = digits(2, 2) else { return nil }
        _ = take(0x3A)
        guard let minutes = digits(2, 2), hours < 24, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity: times before 1970 fall
    /// in the day and second that contain them.
    func flooringDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder that goes with `flooringDivided(by:)`: never negative
    /// for a positive divisor.
    func flooringModulo(_ divisor: Int64) -> Int64 { self - flooringDivided(by: divisor) * divisor }
}
