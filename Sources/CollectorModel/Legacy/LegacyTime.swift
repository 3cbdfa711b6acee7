import Foundation

/// Time formats of the legacy APIs.
public enum LegacyTime {
    /// ISO 8601 with or without fraction and zone; no zone means UTC.
    public static func parseISO8601(_ text: String) -> Date? {
        // Foundation's formatters trap on some non-ASCII input (a combining
        // mark inside the digits, found by fuzz/run legacy-track): a time is
        // short ASCII, anything else is not one.
        guard text.utf8.count <= 64, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let hasZone = trimmed.hasSuffix("Z") || trimmed.range(of: #"[+-]\d{2}:?\d{2}$"#, options: .regularExpression) != nil
            && trimmed.count > 10
        let candidate = hasZone ? trimmed : trimmed + "Z"
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime],
                                                      [.withFullDate, .withTime, .withColonSeparatorInTime, .withTimeZone]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: candidate) { return date }
        }
        // Minutes only: 2020-11-12T11:10Z
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mmXXXXX"
        return formatter.date(from: candidate)
    }

    /// `2020-11-12T11:10:00Z`: UTC, seconds, `Z`. By arithmetic: pages and
    /// answers print thousands of times, and a formatter costs more to make
    /// than the page it prints in (a quarter of the instances page's time).
    /// The same text as ISO8601DateFormatter's (a test compares them): the
    /// instant rounded to the millisecond as CFDateFormatter rounds it, and
    /// the formatter still prints the years before the Gregorian calendar
    /// (ICU's are Julian) and after 9999.
    public static func iso8601Seconds(_ date: Date) -> String {
        let millis = ((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down)
        if abs(millis) < 2.5e14 {
            let seconds = Int64(millis).flooringDivided(by: 1000)
            let day = CivilDate(daysSinceEpoch: seconds.flooringDivided(by: 86_400))
            if (1583...9999).contains(day.year) {
                let time = seconds - day.daysSinceEpoch * 86_400
                return "\(day.text)T\(twoDigits(time / 3600)):\(twoDigits(time / 60 % 60)):\(twoDigits(time % 60))Z"
            }
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// RFC 3339 UTC with a fraction: `2019-10-10T14:10:10.123456Z`.
    public static func rfc3339Fraction(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// HTTP date: `Thu, 10 Oct 2019 14:10:10 GMT`.
    public static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    private static func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : String(value) }
}

extension Int64 {
    /// Division rounding toward negative infinity: times before 1970 fall
    /// in the day and second that contain them.
    func flooringDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
