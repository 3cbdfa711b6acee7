import CollectorModel
import GRDB

/// The rollup rows one write touches, folded in memory first: a batch of a
/// thousand points in ten series within a minute is thirty upserts, not
/// three thousand.
struct RollupBatch {
    private struct Key: Hashable {
        var seriesID: Int64
        var start: Int64
    }

    private var rows: [RollupLevel: [Key: Accumulator]] = [:]

    mutating func add(seriesID: Int64, nanos: Int64, value: Double, keeping cutoffs: Retention.Cutoffs = .keepAll) {
        for level in RollupLevel.allCases where cutoffs.keeps(level, nanos: nanos) {
            rows[level, default: [:]][Key(seriesID: seriesID, start: level.start(ofNanos: nanos)), default: Accumulator()]
                .add(value, atNanos: nanos)
        }
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
