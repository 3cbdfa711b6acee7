import CollectorModel
import Foundation
import GRDB
import SeriesCodec

/// The read side: chunks, minute rollups where chunks were downsampled,
/// hour and day rollups, and the log tail, merged in one read transaction,
/// so an acknowledged point is visible at once and every point counts once.
extension SeriesEngine {
    func aggregate(_ query: AggregationQuery, now: Date, db: Database) throws -> [AggregateBucket] {
        guard let seriesID = try SeriesCatalog.existingID(of: SeriesKey(namespace: query.namespace, name: query.name), db: db) else {
            return []
        }
        let from = query.fromNanos
        let to = query.toNanos
        var aggregator = Aggregator(granularity: query.granularity, function: query.function, timeZone: query.timeZone)
        let plan = AggregationPlan(buckets: aggregator.buckets, from: from, to: to, cutoffs: retention.cutoffs(now: now))
        try read(seriesID: seriesID, plan: plan, from: from, to: to, db: db,
                 point: { aggregator.add(value: $1, atNanos: $0) }, rows: { aggregator.add($1, startingAtNanos: $0) })
        return aggregator.result
    }

    /// Everything a plan names for one series, each point once: raw points
    /// (chunks, and minute rollups where chunks were downsampled), rollup
    /// rows, and the log tail (acknowledged, not yet compacted: in neither).
    func read(seriesID: Int64, plan: AggregationPlan, from: Int64, to: Int64, db: Database,
              point: (Int64, Double) -> Void, rows: (Int64, Accumulator) -> Void) throws {
        // The row store kept minutes for every point; until the upgrade has
        // moved a series, its minutes beside raw rows are not read.
        let minutesBefore = try legacyRowsRemain
            ? Int64.fetchOne(db, sql: "SELECT MIN(time) FROM points WHERE series_id = ?", arguments: [seriesID])
                .map { RollupLevel.minute.start(ofNanos: $0) } ?? .max
            : .max
        for step in plan.steps {
            switch step.source {
            case .raw:
                try forEachPoint(seriesID: seriesID, in: step.range, db: db, point)
                let minutes = step.range.lowerBound..<max(step.range.lowerBound, min(step.range.upperBound, minutesBefore))
                try forEachRollup(.minute, seriesID: seriesID, in: minutes, db: db, rows)
            case .rollup(let level):
                try forEachRollup(level, seriesID: seriesID, in: step.range, db: db, rows)
            }
        }
        try IngestLog.tail(seriesID: seriesID, db: db) { time, value in
            if time >= from && time < to { point(time, value) }
        }
    }

    func points(of key: SeriesKey, from: Int64, to: Int64, db: Database) throws -> [ChunkPoint] {
        guard let seriesID = try SeriesCatalog.existingID(of: key, db: db) else { return [] }
        var points: [ChunkPoint] = []
        try forEachPoint(seriesID: seriesID, in: from..<to, db: db) { points.append(ChunkPoint(time: $0, value: $1)) }
        try IngestLog.tail(seriesID: seriesID, db: db) { time, value in
            if time >= from && time < to { points.append(ChunkPoint(time: time, value: value)) }
        }
        return Chunk.sorted(points)
    }

    /// The raw points of compacted chunks (and of the row store, until the
    /// upgrade has moved them) in `range`.
    func forEachPoint(seriesID: Int64, in range: Range<Int64>, db: Database, _ body: (Int64, Double) -> Void) throws {
        guard !range.isEmpty else { return }
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT min_time, max_time, data FROM chunks
            WHERE series_id = ? AND window_start >= ? AND window_start < ? AND max_time >= ? AND min_time < ?
            """, arguments: [seriesID, Self.window(ofNanos: range.lowerBound), range.upperBound, range.lowerBound, range.upperBound])
        while let row = try cursor.next() {
            let data: Data = row[2]
            if (row[0] as Int64) >= range.lowerBound && (row[1] as Int64) < range.upperBound {
                try ChunkCodec.forEach([UInt8](data), body)
            } else {
                try ChunkCodec.forEach([UInt8](data)) { time, value in
                    if range.contains(time) { body(time, value) }
                }
            }
        }
        if legacyRowsRemain {
            let rows = try Row.fetchCursor(db, sql: "SELECT time, value FROM points WHERE series_id = ? AND time >= ? AND time < ?",
                                           arguments: [seriesID, range.lowerBound, range.upperBound])
            while let row = try rows.next() { body(row[0], row[1]) }
        }
    }

    func forEachRollup(_ level: RollupLevel, seriesID: Int64, in range: Range<Int64>, db: Database,
                       _ body: (Int64, Accumulator) -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT start, count, sum, min, max, first FROM rollup_\(level.rawValue) WHERE series_id = ? AND start >= ? AND start < ?
            """, arguments: [seriesID, range.lowerBound, range.upperBound])
        while let row = try rows.next() {
            body(row[0], Accumulator(count: row[1], sum: row[2], min: row[3], max: row[4], firstNanos: row[5]))
        }
    }
}

extension Chunk {
    /// By time; points of equal time keep their order.
    static func sorted(_ points: [ChunkPoint]) -> [ChunkPoint] {
        if zip(points, points.dropFirst()).allSatisfy({ $0.time <= $1.time }) { return points }
        // The standard library's sort is stable.
        return points.sorted { $0.time < $1.time }
    }
}
