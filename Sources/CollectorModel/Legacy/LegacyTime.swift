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

    /// `2020-11-12T11:10:00Z`: UTC, seconds, `Z`.
    public static func iso8601Seconds(_ date: Date) -> String {
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
}
