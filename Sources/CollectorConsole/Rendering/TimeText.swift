import CollectorModel
import Foundation

/// Times as the console shows them: UTC, to the second, no `T`.
enum TimeText {
    static func show(_ date: Date?) -> String {
        guard let date else { return "never" }
        return LegacyTime.iso8601Seconds(date).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }

    static func day(_ date: Date) -> String { String(LegacyTime.iso8601Seconds(date).prefix(10)) }

    /// `YYYY-MM-DD` or an ISO 8601 date-time (UTC unless it names a zone),
    /// as `collectorctl query` takes them.
    static func parse(_ text: String, field: String) throws(ValidationError) -> Date {
        if let date = LegacyTime.parseISO8601(text) ?? LegacyTime.parseISO8601(text + "T00:00:00Z") { return date }
        throw ValidationError(field: field, "'\(text)' is not a date (YYYY-MM-DD) or an ISO 8601 date-time")
    }
}
