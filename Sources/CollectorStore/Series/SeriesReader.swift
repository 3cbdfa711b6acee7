import CollectorModel
import Foundation
import SeriesCodec

/// What the read side reads, all inside one consistent snapshot, so a
/// compaction committing meanwhile never makes a point count twice or not
/// at all. SQLite answers from a read transaction as it goes; PostgreSQL
/// from rows fetched ahead in one repeatable-read transaction
/// (`RecordedSeriesReads`).
protocol SeriesSnapshot {
    /// The chunks of a series whose day starts before `range`'s end and at or
    /// after the day of its start, and which overlap it.
    func forEachChunk(seriesID: Int64, overlapping range: Range<Int64>,
                      _ body: (_ minTime: Int64, _ maxTime: Int64, _ data: [UInt8]) throws -> Void) throws
    func forEachRollup(_ level: RollupLevel, seriesID: Int64, in range: Range<Int64>, _ body: (Int64, Accumulator) -> Void) throws
    /// The series' sections of the log: acknowledged, not yet compacted.
    func forEachLogSection(seriesID: Int64, _ body: ([UInt8]) throws -> Void) throws
    /// Raw points the row store left (SQLite, until the upgrade has moved
    /// them), and the first minute they cover.
    func forEachRowStorePoint(seriesID: Int64, in range: Range<Int64>, _ body: (Int64, Double) -> Void) throws
    func rowStoreMinutesBefore(seriesID: Int64) throws -> Int64
}

extension SeriesSnapshot {
    func forEachRowStorePoint(seriesID: Int64, in range: Range<Int64>, _ body: (Int64, Double) -> Void) throws {}
    func rowStoreMinutesBefore(seriesID: Int64) throws -> Int64 { .max }
}

/// The read side: chunks, minute rollups where chunks were downsampled,
/// hour and day rollups, and the log tail, merged in one snapshot, so an
/// acknowledged point is visible at once and every point counts once.
extension SeriesEngine {
    func aggregate(_ query: AggregationQuery, seriesID: Int64, now: Date, snapshot: some SeriesSnapshot) throws -> [AggregateBucket] {
        let from = query.fromNanos
        let to = query.toNanos
        var aggregator = Aggregator(granularity: query.granularity, function: query.function, timeZone: query.timeZone)
        let plan = AggregationPlan(buckets: aggregator.buckets, from: from, to: to, cutoffs: retention.cutoffs(now: now))
        try read(seriesID: seriesID, plan: plan, from: from, to: to, snapshot: snapshot,
                 point: { aggregator.add(value: $1, atNanos: $0) }, rows: { aggregator.add($1, startingAtNanos: $0) })
        return aggregator.result
    }

    /// Everything a plan names for one series, each point once: raw points
    /// (chunks, and minute rollups where chunks were downsampled), rollup
    /// rows, and the log tail (acknowledged, not yet compacted: in neither).
    func read(seriesID: Int64, plan: AggregationPlan, from: Int64, to: Int64, snapshot: some SeriesSnapshot,
              point: (Int64, Double) -> Void, rows: (Int64, Accumulator) -> Void) throws {
        // The row store kept minutes for every point; until the upgrade has
        // moved a series, its minutes beside raw rows are not read.
        let minutesBefore = try snapshot.rowStoreMinutesBefore(seriesID: seriesID)
        for step in plan.steps {
            switch step.source {
            case .raw:
                try forEachPoint(seriesID: seriesID, in: step.range, snapshot: snapshot, point)
                let minutes = step.range.lowerBound..<max(step.range.lowerBound, min(step.range.upperBound, minutesBefore))
                if !minutes.isEmpty { try snapshot.forEachRollup(.minute, seriesID: seriesID, in: minutes, rows) }
            case .rollup(let level):
                try snapshot.forEachRollup(level, seriesID: seriesID, in: step.range, rows)
            }
        }
        try forEachLogPoint(seriesID: seriesID, snapshot: snapshot) { time, value in
            if time >= from && time < to { point(time, value) }
        }
    }

    /// One series' raw points in [from, to), by time: compacted and not.
    func points(seriesID: Int64, from: Int64, to: Int64, snapshot: some SeriesSnapshot) throws -> [ChunkPoint] {
        var points: [ChunkPoint] = []
        try forEachPoint(seriesID: seriesID, in: from..<max(from, to), snapshot: snapshot) { points.append(ChunkPoint(time: $0, value: $1)) }
        try forEachLogPoint(seriesID: seriesID, snapshot: snapshot) { time, value in
            if time >= from && time < to { points.append(ChunkPoint(time: time, value: value)) }
        }
        return Chunk.sorted(points)
    }

    /// The raw points of compacted chunks (and of the row store, until the
    /// upgrade has moved them) in `range`.
    func forEachPoint(seriesID: Int64, in range: Range<Int64>, snapshot: some SeriesSnapshot, _ body: (Int64, Double) -> Void) throws {
        guard !range.isEmpty else { return }
        try snapshot.forEachChunk(seriesID: seriesID, overlapping: range) { minTime, maxTime, data in
            if minTime >= range.lowerBound && maxTime < range.upperBound {
                try ChunkCodec.forEach(data, body)
            } else {
                try ChunkCodec.forEach(data) { time, value in
                    if range.contains(time) { body(time, value) }
                }
            }
        }
        try snapshot.forEachRowStorePoint(seriesID: seriesID, in: range, body)
    }

    func forEachLogPoint(seriesID: Int64, snapshot: some SeriesSnapshot, _ body: (Int64, Double) -> Void) throws {
        try snapshot.forEachLogSection(seriesID: seriesID) { try ChunkCodec.forEach($0, body) }
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
