import CollectorModel
import GRDB

/// String fields (InfluxDB's `msg="deploy started"`): rows of their own,
/// written in the commit's transaction beside the ingest log row of the
/// same request, so a 204 covers both. They bypass the log and compaction
/// on purpose: text has no rollup, and chunks encode numbers. A string
/// series is a row of `series` like any other (its labels typed `string`);
/// retention drops its rows by time with the raw points.
extension SeriesEngine {
    func insert(strings points: [StringPoint], db: Database) throws {
        guard !points.isEmpty else { return }
        let statement = try db.cachedStatement(sql: "INSERT INTO string_points (series_id, time, value) VALUES (?, ?, ?)")
        for point in points {
            let seriesID = try catalog.id(for: SeriesKey(namespace: point.namespace, name: point.name, labels: point.labels), db: db)
            try statement.execute(arguments: [seriesID, point.nanos, point.value])
        }
    }

    /// One string series' values in [from, to), by time; values of equal
    /// time in the order written (every write is kept, as for numbers).
    func strings(seriesID: Int64, from: Int64, to: Int64, db: Database) throws -> [(time: Int64, value: String)] {
        guard from < to else { return [] }
        var values: [(time: Int64, value: String)] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT time, value FROM string_points WHERE series_id = ? AND time >= ? AND time < ? ORDER BY time, rowid
            """), arguments: [seriesID, from, to])
        while let row = try rows.next() { values.append((time: row[0], value: row[1])) }
        return values
    }
}
