#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One pool on one day: how long its computers were on, and what it cost.
public struct PoolDayReport: Sendable, Equatable, Codable {
    public var date: String
    public var pool: String
    public var room: String
    /// Hours on, summed over the pool's computers.
    public var runtimeHours: Double
    /// Over the computers that were on that day, not over all of them.
    public var averageHours: Double
    /// On hours at the pool's watts, plus known-off hours at its standby watts.
    public var energyKWh: Double
    public var computers: Int
    public var used: Int
    /// Hours of the day no two consecutive sweeps cover (the agent was away).
    public var unknownHours: Double
    /// The seed's "Verbrauch": runtime hours × watts, in Wh.
    public var wattHours: Double
}

/// A day in the report's zone: its label and its instants.
public struct ReportDay: Sendable, Equatable {
    public var label: String
    public var start: Date
    public var end: Date
}

/// Runtime from sweeps, by the lab pinger's rule (seed 004), so the same
/// sweeps give the same hours: a computer seen up opens an on-interval at
/// that sweep's time; the next sweep that sees it down closes it at its own
/// time. A computer seen up once and then down counts the whole gap between
/// the two sweeps; one flapping every sweep counts half the time. A day's
/// part of an interval that runs past midnight ends at 23:59:59, as the
/// seed split them, and the next day's part starts at 00:00:00.
///
/// The seed counted only closed intervals. An interval still open counts
/// up to now while its computer keeps being seen (up to the last sweep
/// that saw it, once its agent has gone quiet).
///
/// Where no two consecutive sweeps (at most 1.5 intervals apart) vouch for
/// the pool, the time is unknown: it counts as neither on nor off for
/// standby energy.
public enum PoolRuntime {
    public struct Derived: Sendable, Equatable {
        /// On-intervals per computer address, start and end inclusive.
        public var on: [String: [DateInterval]]
        /// Where consecutive sweeps vouch for the pool's state.
        public var covered: [DateInterval]
    }

    /// `results` in any order; include each computer's last result before
    /// the days asked about and its first after them, so intervals that
    /// cross the window's edges are known.
    public static func derive(_ results: [Reachability], interval: Duration, now: Date = Date()) -> Derived {
        let tolerance = interval.seconds * 1.5
        let sweeps = Set(results.map(\.time)).sorted()
        var covered: [DateInterval] = []
        for (earlier, later) in zip(sweeps, sweeps.dropFirst()) where later.timeIntervalSince(earlier) <= tolerance {
            if let last = covered.last, last.end == earlier {
                covered[covered.count - 1] = DateInterval(start: last.start, end: later)
            } else {
                covered.append(DateInterval(start: earlier, end: later))
            }
        }
        var on: [String: [DateInterval]] = [:]
        for (address, ofComputer) in Dictionary(grouping: results, by: \.address) {
            var opened: Date?
            var lastUp: Date?
            for result in ofComputer.sorted(by: { $0.time < $1.time }) {
                if result.up {
                    if opened == nil { opened = result.time }
                    lastUp = result.time
                } else if let start = opened {
                    on[address, default: []].append(DateInterval(start: start, end: result.time))
                    opened = nil
                }
            }
            if let start = opened, let lastUp {
                let end = now.timeIntervalSince(lastUp) <= tolerance ? max(now, lastUp) : lastUp
                on[address, default: []].append(DateInterval(start: start, end: end))
            }
        }
        return Derived(on: on, covered: covered)
    }

    /// The part of an on-interval inside a day, as the seed split it: from
    /// the day's 00:00:00 if it began earlier, to 23:59:59 if it ends
    /// later; nil when it misses the day. Start and end inclusive.
    public static func dayPart(of interval: DateInterval, in day: ReportDay) -> DateInterval? {
        let start = max(interval.start, day.start)
        let end = interval.end < day.end ? interval.end : day.end.addingTimeInterval(-1)
        guard start <= end, interval.start < day.end, interval.end >= day.start else { return nil }
        return DateInterval(start: start, end: end)
    }

    /// Microseconds on, as the seed summed its `timedelta`s.
    static func microseconds(_ interval: DateInterval) -> Int64 {
        micros(interval.end) - micros(interval.start)
    }

    static func micros(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1e6).rounded(.down))
    }

    /// How many of the computers were on at each full hour of the day: a
    /// computer counts at h:00 when a part of its on-intervals in that day
    /// holds h:00, both ends included (the seed's hourly chart).
    public static func hourly(computers: [String], derived: Derived, day: ReportDay) -> [Int] {
        var counts: [Int] = []
        var hour = day.start
        while hour < day.end {
            let instant = hour
            counts.append(computers.filter { computer in
                (derived.on[computer] ?? []).contains { interval in
                    dayPart(of: interval, in: day).map { $0.start <= instant && instant <= $0.end } ?? false
                }
            }.count)
            hour = hour.addingTimeInterval(3600)
        }
        return counts
    }

    /// The days from `from` to `to` (YYYY-MM-DD, inclusive) in the zone; a
    /// day is 23 or 25 hours long where the clocks change.
    public static func days(from: String, to: String, zone: TimeZone, limit: Int = 3660) throws(ValidationError) -> [ReportDay] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func start(_ text: String, field: String) throws(ValidationError) -> Date {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, text.count == 10,
                  let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
                  calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: parts[0], month: parts[1], day: parts[2])
            else { throw ValidationError(field: field, "'\(text)' is not a date YYYY-MM-DD") }
            return date
        }
        let first = try start(from, field: "from")
        let last = try start(to, field: "to")
        var days: [ReportDay] = []
        var day = first
        while day <= last {
            guard days.count < limit else { throw ValidationError(field: "to", "a report covers at most \(limit) days") }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            let civil = calendar.dateComponents([.year, .month, .day], from: day)
            let label = CivilDate(year: Int64(civil.year ?? 0), month: Int64(civil.month ?? 0), day: Int64(civil.day ?? 0)).text
            days.append(ReportDay(label: label, start: day, end: next))
            day = next
        }
        return days
    }

    public static func report(pool: Pool, derived: Derived, days: [ReportDay]) -> [PoolDayReport] {
        days.map { day in
            let window = DateInterval(start: day.start, end: day.end)
            var micros: Int64 = 0
            var used = 0
            for computer in pool.computers {
                let own = (derived.on[computer] ?? []).reduce(Int64(0)) { sum, interval in
                    sum + (dayPart(of: interval, in: day).map(microseconds) ?? 0)
                }
                micros += own
                if own > 0 { used += 1 }
            }
            // In the seed's order of operations, so the figures match to the last bit.
            let runtimeHours = Double(micros) / 1e6 / 60 / 60
            let coveredSeconds = derived.covered.reduce(0) { $0 + overlap($1, window) }
            let offHours = max(0, coveredSeconds * Double(pool.computers.count) - Double(micros) / 1e6) / 3600
            let energy = (runtimeHours * pool.watts + offHours * (pool.standbyWatts ?? 0)) / 1000
            return PoolDayReport(date: day.label, pool: pool.name, room: pool.room, runtimeHours: runtimeHours,
                                 averageHours: used == 0 ? 0 : runtimeHours / Double(used), energyKWh: energy,
                                 computers: pool.computers.count, used: used,
                                 unknownHours: max(0, window.duration - coveredSeconds) / 3600,
                                 wattHours: runtimeHours * pool.watts)
        }
    }

    static func overlap(_ interval: DateInterval, _ window: DateInterval) -> TimeInterval {
        max(0, min(interval.end, window.end).timeIntervalSince(max(interval.start, window.start)))
    }
}
