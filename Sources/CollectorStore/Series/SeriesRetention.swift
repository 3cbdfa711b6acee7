import CollectorModel
import Foundation
import GRDB
import SeriesCodec

/// Retention by whole chunks: a day whose points are all past the raw
/// retention goes at once (its points folded into minute rollups first,
/// where minutes are kept longer); string fields' rows past the raw
/// retention and rollup rows past their level's retention go too. Each call is one small transaction's worth.
extension SeriesEngine {
    /// Removes up to `limit` chunks or rows; returns how many went (less
    /// than `limit` when nothing more is due).
    func expire(_ cutoffs: Retention.Cutoffs, limit: Int, db: Database) throws -> Int {
        if cutoffs.raw > .min {
            let due = try Row.fetchAll(db, sql: "SELECT id, series_id, data FROM chunks WHERE window_start <= ? LIMIT ?",
                                       arguments: [cutoffs.raw &- Self.windowNanos, limit])
            if !due.isEmpty {
                try Self.minutes(of: due.map { ($0[1], [UInt8]($0[2] as Data)) }, cutoffs: cutoffs).write(db: db)
                let ids = due.map { $0[0] as Int64 }
                try db.execute(sql: "DELETE FROM chunks WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                               arguments: StatementArguments(ids))
                return ids.count
            }
        }
        var tables: [(table: String, column: String, before: Int64)] = [
            ("points", "time", cutoffs.raw), ("string_points", "time", cutoffs.raw),
        ]
        for level in RollupLevel.allCases { tables.append(("rollup_\(level.rawValue)", "start", cutoffs.cut(level))) }
        for (table, column, before) in tables where before > .min {
            try db.execute(sql: "DELETE FROM \(table) WHERE rowid IN (SELECT rowid FROM \(table) WHERE \(column) < ? LIMIT ?)",
                           arguments: [before, limit])
            if db.changesCount > 0 { return db.changesCount }
        }
        return 0
    }

    /// Expiring chunks downsampled to minute rollups, where minutes are
    /// kept longer than raw points.
    static func minutes(of chunks: [(seriesID: Int64, data: [UInt8])], cutoffs: Retention.Cutoffs) throws -> RollupBatch {
        var minutes = RollupBatch()
        guard cutoffs.minute < cutoffs.raw else { return minutes }
        for (seriesID, data) in chunks {
            try ChunkCodec.forEach(data) { time, value in
                guard cutoffs.keeps(.minute, nanos: time) else { return }
                minutes.add(Accumulator(count: 1, sum: value, min: value, max: value, firstNanos: time),
                            seriesID: seriesID, level: .minute, start: RollupLevel.minute.start(ofNanos: time))
            }
        }
        return minutes
    }
}
