import CollectorModel
import Foundation

/// A filter's text as the stored value compares, on either backend:
/// times as nanoseconds, numbers as numbers, `true` and `false` as
/// booleans (SQLite stores them as 1 and 0, PostgreSQL's jsonb as booleans).
enum InstanceFilterValue: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    case text(String)

    init(_ text: String, for field: InstanceQuery.Field) {
        switch field {
        case .main(.created), .main(.updated):
            if let date = LegacyTime.parseISO8601(text) {
                self = .integer(date.unixNanos)
            } else {
                self = Double(text).map { .integer(Int64($0 * 1e9)) } ?? .text(text)
            }
        case .main(.enabled), .crawled:
            switch text.lowercased() {
            case "true": self = .boolean(true)
            case "false": self = .boolean(false)
            default: self = Double(text).map(InstanceFilterValue.real) ?? .text(text)
            }
        case .main:
            self = .text(text)
        }
    }
}
