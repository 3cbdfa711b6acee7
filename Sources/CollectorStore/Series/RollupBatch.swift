import CollectorModel
import GRDB

/// The rollup rows a compaction round touches, folded in memory first: a
/// round of a thousand points in ten series within a minute is a few
/// upserts, not a thousand.
///
/// The hour and day levels take every point their retention keeps; the
/// minute level only points older than the raw retention (newer ones are
/// in chunks, which answer minute queries themselves; expiry downsamples
/// chunks into minutes when minutes are kept longer).
struct RollupBatch {
    private struct Key: Hashable {
        var seriesID: Int64
        var start: Int64
    }

    private var rows: [RollupLevel: [Key: Accumulator]] = [:]

    mutating func add(seriesID: Int64, nanos: Int64, value: Double, cutoffs: Retention.Cutoffs) {
        for level in RollupLevel.allCases where cutoffs.keeps(level, nanos: nanos) && (level != .minute || nanos < cutoffs.raw) {
            add(Accumulator(count: 1, sum: value, min: value, max: value, firstNanos: nanos), seriesID: seriesID, level: level,
                start: level.start(ofNanos: nanos))
        }
    }

    mutating func add(_ accumulator: Accumulator, seriesID: Int64, level: RollupLevel, start: Int64) {
        rows[level, default: [:]][Key(seriesID: seriesID, start: start), default: Accumulator()].merge(accumulator)
    }

    func write(db: Database) throws {
        for (level, levelRows) in rows {
            // MIN/MAX with two arguments are SQLite's scalar forms;
            // PostgreSQL spells them LEAST/GREATEST.
            let statement = try db.cachedStatement(sql: """
                INSERT INTO rollup_\(level.rawValue) (series_id, start, count, sum, min, max, first) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (series_id, start) DO UPDATE SET
                    count = count + excluded.count, sum = sum + excluded.sum,
                    min = MIN(min, excluded.min), max = MAX(max, excluded.max), first = MIN(first, excluded.first)
                """)
            for (key, accumulator) in levelRows {
                try statement.execute(arguments: [key.seriesID, key.start, accumulator.count, accumulator.sum,
                                                  accumulator.min, accumulator.max, accumulator.firstNanos])
            }
        }
    }
}
