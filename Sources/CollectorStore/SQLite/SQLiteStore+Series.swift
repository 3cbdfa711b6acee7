import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    public func points(namespace: String, name: String, from: Date, to: Date) async throws -> [SeriesPoint] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.time, p.value FROM points p JOIN series s ON s.id = p.series_id
                WHERE s.namespace = ? AND s.name = ? AND p.time >= ? AND p.time < ? ORDER BY p.time
                """, arguments: [namespace, name, from.unixNanos, to.unixNanos])
                .map { SeriesPoint(namespace: namespace, name: name, time: Date(unixNanos: $0[0]), value: $0[1]) }
        }
    }

    public func aggregate(_ query: AggregationQuery) async throws -> [AggregateBucket] {
        let from = query.fromNanos
        let to = query.toNanos
        let cutoffs = retention.cutoffs(now: Date())
        return try await pool.read { db in
            guard let seriesID = try Int64.fetchOne(db, sql: "SELECT id FROM series WHERE namespace = ? AND name = ?",
                                                    arguments: [query.namespace, query.name])
            else { return [] }
            var aggregator = Aggregator(granularity: query.granularity, function: query.function, timeZone: query.timeZone)
            let plan = AggregationPlan(buckets: aggregator.buckets, from: from, to: to, cutoffs: cutoffs)
            for step in plan.steps {
                switch step.source {
                case .raw:
                    let rows = try Row.fetchCursor(db, sql: "SELECT time, value FROM points WHERE series_id = ? AND time >= ? AND time < ?",
                                                   arguments: [seriesID, step.range.lowerBound, step.range.upperBound])
                    while let row = try rows.next() {
                        aggregator.add(value: row[1], atNanos: row[0])
                    }
                case .rollup(let level):
                    let rows = try Row.fetchCursor(db, sql: """
                        SELECT start, count, sum, min, max, first FROM rollup_\(level.rawValue)
                        WHERE series_id = ? AND start >= ? AND start < ?
                        """, arguments: [seriesID, step.range.lowerBound, step.range.upperBound])
                    while let row = try rows.next() {
                        aggregator.add(Accumulator(count: row[1], sum: row[2], min: row[3], max: row[4], firstNanos: row[5]),
                                       startingAtNanos: row[0])
                    }
                }
            }
            return aggregator.result
        }
    }

    public func expire(_ cutoffs: Retention.Cutoffs, chunk: Int) async throws -> Int {
        var tables: [(table: String, column: String, before: Int64)] = [("points", "time", cutoffs.raw)]
        for level in RollupLevel.allCases {
            tables.append(("rollup_\(level.rawValue)", "start", cutoffs.cut(level)))
        }
        var removed = 0
        for (table, column, before) in tables where before > .min {
            // Small transactions, so ingest never waits long behind expiry.
            while true {
                let count = try await write { db in
                    try db.execute(sql: "DELETE FROM \(table) WHERE rowid IN (SELECT rowid FROM \(table) WHERE \(column) < ? LIMIT ?)",
                                   arguments: [before, chunk])
                    return db.changesCount
                }
                removed += count
                if count < chunk { break }
            }
        }
        return removed
    }
}
