import CollectorModel
import GRDB
import SeriesCodec

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
    /// Rows folded by a sorted pass, each (level, series, start) once: no
    /// hashing per point.
    private var folded: [(level: RollupLevel, seriesID: Int64, start: Int64, accumulator: Accumulator)] = []

    mutating func add(seriesID: Int64, nanos: Int64, value: Double, cutoffs: Retention.Cutoffs) {
        for level in RollupLevel.allCases where cutoffs.keeps(level, nanos: nanos) && (level != .minute || nanos < cutoffs.raw) {
            add(Accumulator(count: 1, sum: value, min: value, max: value, firstNanos: nanos), seriesID: seriesID, level: level,
                start: level.start(ofNanos: nanos))
        }
    }

    mutating func add(_ accumulator: Accumulator, seriesID: Int64, level: RollupLevel, start: Int64) {
        rows[level, default: [:]][Key(seriesID: seriesID, start: start), default: Accumulator()].merge(accumulator)
    }

    /// Folds one series' points, sorted by time, into every level that
    /// keeps them, in one pass.
    mutating func fold(sorted points: [ChunkPoint], seriesID: Int64, cutoffs: Retention.Cutoffs) {
        for level in RollupLevel.allCases {
            var start = Int64.min
            var accumulator = Accumulator()
            for point in points where cutoffs.keeps(level, nanos: point.time) && (level != .minute || point.time < cutoffs.raw) {
                let bucket = level.start(ofNanos: point.time)
                if bucket != start {
                    if accumulator.count > 0 { folded.append((level, seriesID, start, accumulator)) }
                    start = bucket
                    accumulator = Accumulator()
                }
                accumulator.add(point.value, atNanos: point.time)
            }
            if accumulator.count > 0 { folded.append((level, seriesID, start, accumulator)) }
        }
    }

    /// The rows to upsert, by level: each (level, series, start) once, as
    /// PostgreSQL's upsert needs (a statement may not touch a row twice).
    func rowsByLevel() -> [RollupLevel: [(seriesID: Int64, start: Int64, accumulator: Accumulator)]] {
        var byLevel: [RollupLevel: [(seriesID: Int64, start: Int64, accumulator: Accumulator)]] = [:]
        guard !rows.isEmpty else {
            for row in folded { byLevel[row.level, default: []].append((row.seriesID, row.start, row.accumulator)) }
            return byLevel
        }
        var merged = rows
        for row in folded { merged[row.level, default: [:]][Key(seriesID: row.seriesID, start: row.start), default: Accumulator()].merge(row.accumulator) }
        for (level, levelRows) in merged {
            byLevel[level] = levelRows.map { ($0.key.seriesID, $0.key.start, $0.value) }
        }
        return byLevel
    }

    var isEmpty: Bool { rows.isEmpty && folded.isEmpty }

    func write(db: Database) throws {
        let byLevel = rowsByLevel()
        for (level, rows) in byLevel {
            // Many rows a statement: a round of random times touches every
            // hour of a year, and one statement per row costs more than the row.
            for first in stride(from: 0, to: rows.count, by: Self.rowsPerStatement) {
                let slice = rows[first..<min(rows.count, first + Self.rowsPerStatement)]
                var values: [DatabaseValueConvertible?] = []
                values.reserveCapacity(slice.count * 7)
                for row in slice {
                    values += [row.seriesID, row.start, row.accumulator.count, row.accumulator.sum,
                               row.accumulator.min, row.accumulator.max, row.accumulator.firstNanos]
                }
                try Self.upsert(level, rows: slice.count, db: db).execute(arguments: StatementArguments(values))
            }
        }
    }

    static let rowsPerStatement = 128

    static func upsert(_ level: RollupLevel, rows: Int, db: Database) throws -> Statement {
        // MIN/MAX with two arguments are SQLite's scalar forms;
        // PostgreSQL spells them LEAST/GREATEST.
        try db.cachedStatement(sql: """
            INSERT INTO rollup_\(level.rawValue) (series_id, start, count, sum, min, max, first) VALUES
            \(Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", "))
            ON CONFLICT (series_id, start) DO UPDATE SET
                count = count + excluded.count, sum = sum + excluded.sum,
                min = MIN(min, excluded.min), max = MAX(max, excluded.max), first = MIN(first, excluded.first)
            """)
    }
}
