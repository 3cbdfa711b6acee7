#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Maps an instant to the start of its bucket: minutes to years, in UTC or
/// an IANA zone. Weeks start on Monday (ISO 8601); months and years are
/// calendar months and years. UTC, the common case, is integer arithmetic;
/// other zones go through `Calendar`, which knows their DST rules.
public struct TimeBuckets: Sendable {
    public let granularity: Granularity
    public let timeZone: TimeZone
    private let calendar: Calendar
    private let isUTC: Bool

    public init(granularity: Granularity, timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt) {
        self.granularity = granularity
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        self.calendar = calendar
        isUTC = timeZone.secondsFromGMT() == 0 && timeZone.nextDaylightSavingTimeTransition == nil
    }

    static let nanosPerSecond: Int64 = 1_000_000_000
    static let nanosPerMinute = 60 * nanosPerSecond
    static let nanosPerHour = 60 * nanosPerMinute
    static let nanosPerDay = 24 * nanosPerHour

    /// The start of the bucket holding `nanos`, in nanoseconds since the epoch.
    public func start(ofNanos nanos: Int64) -> Int64 {
        switch granularity {
        case .none:
            return nanos
        case .minute:
            // Every zone in use has whole-minute offsets: minutes align everywhere.
            return floor(nanos, Self.nanosPerMinute, offset: 0)
        case .hour where isUTC:
            return floor(nanos, Self.nanosPerHour, offset: 0)
        case .day where isUTC:
            return floor(nanos, Self.nanosPerDay, offset: 0)
        case .week where isUTC:
            // 1970-01-01 was a Thursday; Mondays are 4 days later mod 7.
            return floor(nanos - 4 * Self.nanosPerDay, 7 * Self.nanosPerDay, offset: 0) + 4 * Self.nanosPerDay
        case .month where isUTC, .year where isUTC:
            let civil = CivilDate(containingNanos: nanos)
            let first = granularity == .month ? CivilDate(year: civil.year, month: civil.month, day: 1)
                                              : CivilDate(year: civil.year, month: 1, day: 1)
            return first.daysSinceEpoch * Self.nanosPerDay
        default:
            return calendarStart(ofNanos: nanos)
        }
    }

    public func start(of date: Date) -> Date {
        Date(timeIntervalSince1970: Double(start(ofNanos: Int64((date.timeIntervalSince1970 * 1e9).rounded()))) / 1e9)
    }

    /// True when every bucket boundary of this granularity in this zone is
    /// also a boundary of `level` (a UTC-aligned rollup width): then rollup
    /// rows fall wholly inside one bucket.
    public func isAligned(with level: RollupLevel, from: Int64, to: Int64) -> Bool {
        switch granularity {
        case .none: return false
        case .minute: return level == .minute
        case .hour: return level == .minute || (level == .hour && offsetsAreMultiples(of: 3600, from: from, to: to))
        case .day, .week, .month, .year:
            switch level {
            case .minute: return true
            case .hour: return offsetsAreMultiples(of: 3600, from: from, to: to)
            case .day: return isUTC
            }
        }
    }

    private func offsetsAreMultiples(of seconds: Int, from: Int64, to: Int64) -> Bool {
        if isUTC { return true }
        var instant = Date(timeIntervalSince1970: Double(from) / 1e9)
        let end = Date(timeIntervalSince1970: Double(to) / 1e9)
        // Check the offset at the start and after every transition in the window.
        for _ in 0..<1000 {
            guard timeZone.secondsFromGMT(for: instant) % seconds == 0 else { return false }
            guard let next = timeZone.nextDaylightSavingTimeTransition(after: instant), next < end else { return true }
            instant = next
        }
        return true
    }

    private func floor(_ nanos: Int64, _ width: Int64, offset: Int64) -> Int64 {
        let local = nanos + offset
        let remainder = ((local % width) + width) % width
        return nanos - remainder
    }

    private func calendarStart(ofNanos nanos: Int64) -> Int64 {
        let date = Date(timeIntervalSince1970: Double(nanos) / 1e9)
        let component: Calendar.Component = switch granularity {
        case .minute: .minute
        case .hour: .hour
        case .day: .day
        case .week: .weekOfYear
        case .month: .month
        case .year, .none: .year
        }
        guard let interval = calendar.dateInterval(of: component, for: date) else { return nanos }
        return Int64((interval.start.timeIntervalSince1970 * 1e9).rounded())
    }
}

/// A proleptic Gregorian date, converted to and from days since 1970-01-01
/// with Howard Hinnant's algorithms: exact for every year, leap years included.
struct CivilDate: Equatable {
    var year: Int64
    var month: Int64
    var day: Int64

    init(year: Int64, month: Int64, day: Int64) {
        self.year = year
        self.month = month
        self.day = day
    }

    init(daysSinceEpoch: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The UTC day an instant falls on.
    init(containingNanos nanos: Int64) {
        self.init(daysSinceEpoch: nanos.flooringDivided(by: TimeBuckets.nanosPerDay))
    }

    /// 28 to 31.
    static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `2026-12-01`.
    var text: String {
        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    var daysSinceEpoch: Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
