import Foundation

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

/// Runtime from sweeps: a computer seen up at two consecutive sweeps was on
/// between them; a gap longer than 1.5 sweep intervals is not "off" but
/// unknown (the agent was away), and counts neither way.
public enum PoolRuntime {
    public struct Derived: Sendable, Equatable {
        /// On-intervals per computer address.
        public var on: [String: [DateInterval]]
        /// Where consecutive sweeps vouch for the pool's state.
        public var covered: [DateInterval]
    }

    public static func derive(_ results: [Reachability], interval: Duration) -> Derived {
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
            let ordered = ofComputer.sorted { $0.time < $1.time }
            for (earlier, later) in zip(ordered, ordered.dropFirst())
            where earlier.up && later.up && later.time.timeIntervalSince(earlier.time) <= tolerance {
                on[address, default: []].append(DateInterval(start: earlier.time, end: later.time))
            }
        }
        return Derived(on: on, covered: covered)
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
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = zone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        while day <= last {
            guard days.count < limit else { throw ValidationError(field: "to", "a report covers at most \(limit) days") }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            days.append(ReportDay(label: formatter.string(from: day), start: day, end: next))
            day = next
        }
        return days
    }

    public static func report(pool: Pool, derived: Derived, days: [ReportDay]) -> [PoolDayReport] {
        days.map { day in
            let window = DateInterval(start: day.start, end: day.end)
            var runtime = 0.0
            var used = 0
            for computer in pool.computers {
                let seconds = (derived.on[computer] ?? []).reduce(0) { $0 + overlap($1, window) }
                runtime += seconds
                if seconds > 0 { used += 1 }
            }
            let coveredSeconds = derived.covered.reduce(0) { $0 + overlap($1, window) }
            let runtimeHours = runtime / 3600
            let offHours = max(0, coveredSeconds * Double(pool.computers.count) - runtime) / 3600
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
