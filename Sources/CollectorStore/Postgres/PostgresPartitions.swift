import Foundation
import PostgresNIO
import Synchronization

/// The series tables are partitioned by time, one partition per UTC month:
/// retention drops a month whole instead of deleting its rows one by one
/// (no dead rows for vacuum to chase), and a query for a time range reads
/// only its months. Partitions are made when a write first needs one, in
/// the writing transaction, so a row never finds its month missing.
enum PostgresPartitions {
    /// Each partitioned table and the time column it is partitioned by.
    static let columns: [String: String] = [
        "chunks": "window_start", "rollup_minute": "start", "rollup_hour": "start", "rollup_day": "start", "string_points": "time",
    ]

    /// Any constant no other user of the database picks: "partitio" in ASCII.
    static let lockKey: Int64 = 0x7061_7274_6974_696f

    struct Month: Hashable, Comparable {
        var year: Int
        var month: Int

        init(year: Int, month: Int) {
            self.year = year
            self.month = month
        }

        init(nanos: Int64) {
            let seconds = nanos >= 0 ? nanos / 1_000_000_000 : (nanos + 1) / 1_000_000_000 - 1
            let components = Self.calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            self.init(year: components.year ?? 1970, month: components.month ?? 1)
        }

        var next: Month { month == 12 ? Month(year: year + 1, month: 1) : Month(year: year, month: month + 1) }

        /// Nanoseconds at its first instant; nil past what Int64 nanoseconds hold.
        var startNanos: Int64? {
            guard let date = Self.calendar.date(from: DateComponents(year: year, month: month, day: 1)) else { return nil }
            let nanos = date.timeIntervalSince1970 * 1e9
            guard nanos > -9.2e18, nanos < 9.2e18 else { return nil }
            return Int64(nanos)
        }

        var suffix: String { String(format: "p%04d%02d", year, month) }

        /// From a partition's name (`chunks_p202401`).
        init?(partition name: String) {
            guard let range = name.range(of: "_p", options: .backwards) else { return nil }
            let digits = name[range.upperBound...]
            guard digits.count == 6, let number = Int(digits) else { return nil }
            self.init(year: number / 100, month: number % 100)
        }

        static func < (lhs: Month, rhs: Month) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

        static let calendar: Calendar = {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
            return calendar
        }()
    }
}

/// The partitions this process has seen made, so a write checks the catalog
/// only for a month it has not met. Forgotten when a transaction rolls back
/// (the partitions it made went with it).
final class PartitionCatalog: Sendable {
    private let known = Mutex<Set<String>>([])

    func missing(_ names: Set<String>) -> Set<String> {
        known.withLock { names.subtracting($0) }
    }

    func remember(_ names: Set<String>) {
        known.withLock { $0.formUnion(names) }
    }

    func forget() {
        known.withLock { $0.removeAll() }
    }
}

extension PostgresStore {
    /// Makes the months of `times` in `table` that do not exist yet, in the
    /// caller's transaction. Collectors making the same month at once take
    /// turns (an advisory lock), so the second finds it made.
    func ensurePartitions(_ table: String, covering times: some Sequence<Int64>, _ connection: PostgresConnection) async throws {
        // By day first: a round's rollup rows are thousands of times in a
        // few months, and the calendar is asked once per day, not per row.
        var days: Set<Int64> = []
        for time in times { days.insert(SeriesEngine.window(ofNanos: time)) }
        var months: [String: PostgresPartitions.Month] = [:]
        for day in days {
            let month = PostgresPartitions.Month(nanos: day)
            months["\(table)_\(month.suffix)"] = month
        }
        let missing = partitions.missing(Set(months.keys))
        guard !missing.isEmpty else { return }
        try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresPartitions.lockKey))")
        for name in missing.sorted() {
            guard let month = months[name] else { continue }
            let from = month.startNanos.map(String.init) ?? "MINVALUE"
            let to = month.next.startNanos.map(String.init) ?? "MAXVALUE"
            try await connection.query(PostgresQuery(unsafeSQL: """
                CREATE TABLE IF NOT EXISTS \(name) PARTITION OF \(table) FOR VALUES FROM (\(from)) TO (\(to))
                """))
        }
        partitions.remember(missing)
    }

    /// Drops the months of `table` that end at or before `cutoff`; how many
    /// rows went with them. Only months already empty when `onlyEmpty`
    /// (chunks due for downsampling go row by row first).
    func dropPartitions(of table: String, endingBy cutoff: Int64, onlyEmpty: Bool, _ connection: PostgresConnection) async throws -> Int {
        let names = try await connection.query("""
            SELECT child.relname::TEXT AS name FROM pg_inherits
            JOIN pg_class child ON child.oid = pg_inherits.inhrelid JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
            WHERE parent.relname = \(table)
            """).all { row in try row["name", as: String.self] }
        var removed = 0
        for name in names.sorted() {
            guard let month = PostgresPartitions.Month(partition: name), let end = month.next.startNanos, end <= cutoff else { continue }
            let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT COUNT(*) AS rows FROM \(name)"))
                .firstRow { row in try row["rows", as: Int64.self] } ?? 0
            if onlyEmpty && rows > 0 { continue }
            try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE \(name)"))
            removed += max(1, Int(rows))
            // A later write to that month makes it again.
            partitions.forget()
        }
        return removed
    }
}
