import CollectorModel
import Foundation
import GRDB
import SeriesCodec

/// The read side's questions answered inside one of SQLite's read
/// transactions, row by row as the reader goes.
struct SQLiteSeriesSnapshot: SeriesSnapshot {
    let db: Database
    /// True while the upgrade still has points in the row store's `points`
    /// table to move into chunks.
    let rowStoreRemains: Bool

    func forEachChunk(seriesID: Int64, overlapping range: Range<Int64>,
                      _ body: (Int64, Int64, [UInt8]) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT min_time, max_time, data FROM chunks
            WHERE series_id = ? AND window_start >= ? AND window_start < ? AND max_time >= ? AND min_time < ?
            """), arguments: [seriesID, SeriesEngine.window(ofNanos: range.lowerBound), range.upperBound, range.lowerBound, range.upperBound])
        while let row = try cursor.next() {
            let data: Data = row[2]
            try body(row[0], row[1], [UInt8](data))
        }
    }

    func forEachRollup(_ level: RollupLevel, seriesID: Int64, in range: Range<Int64>, _ body: (Int64, Accumulator) -> Void) throws {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT start, count, sum, min, max, first FROM rollup_\(level.rawValue) WHERE series_id = ? AND start >= ? AND start < ?
            """), arguments: [seriesID, range.lowerBound, range.upperBound])
        while let row = try rows.next() {
            body(row[0], Accumulator(count: row[1], sum: row[2], min: row[3], max: row[4], firstNanos: row[5]))
        }
    }

    /// The log is short, so a read scans it.
    func forEachLogSection(seriesID: Int64, _ body: ([UInt8]) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: "SELECT data FROM ingest_log WHERE kind = ?"),
                                         arguments: [IngestLog.Kind.points.rawValue])
        while let row = try cursor.next() {
            let data: Data = row[0]
            for section in try IngestLogRow.decode([UInt8](data)) where section.seriesID == seriesID {
                try body(Array(section.chunk))
            }
        }
    }

    func forEachRowStorePoint(seriesID: Int64, in range: Range<Int64>, _ body: (Int64, Double) -> Void) throws {
        guard rowStoreRemains else { return }
        let rows = try Row.fetchCursor(db, sql: "SELECT time, value FROM points WHERE series_id = ? AND time >= ? AND time < ?",
                                       arguments: [seriesID, range.lowerBound, range.upperBound])
        while let row = try rows.next() { body(row[0], row[1]) }
    }

    func rowStoreMinutesBefore(seriesID: Int64) throws -> Int64 {
        guard rowStoreRemains else { return .max }
        return try Int64.fetchOne(db, sql: "SELECT MIN(time) FROM points WHERE series_id = ?", arguments: [seriesID])
            .map { RollupLevel.minute.start(ofNanos: $0) } ?? .max
    }
}
