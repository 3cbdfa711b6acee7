import CollectorModel
import NIOCore
import PostgresNIO
import SeriesCodec

/// One question the read side asks of a snapshot.
enum SeriesQuestion: Hashable, Sendable {
    case chunks(seriesID: Int64, range: Range<Int64>)
    case rollups(RollupLevel, seriesID: Int64, range: Range<Int64>)
    case log(seriesID: Int64)
}

/// The read side's first pass on PostgreSQL: it answers nothing and notes
/// every question. What the reader asks depends on its plan, never on the
/// answers, so the questions of this pass are those of the real one.
final class SeriesQuestions: SeriesSnapshot {
    private(set) var asked: [SeriesQuestion] = []
    private var seen: Set<SeriesQuestion> = []

    private func note(_ question: SeriesQuestion) {
        if seen.insert(question).inserted { asked.append(question) }
    }

    func forEachChunk(seriesID: Int64, overlapping range: Range<Int64>, _ body: (Int64, Int64, [UInt8]) throws -> Void) throws {
        note(.chunks(seriesID: seriesID, range: range))
    }

    func forEachRollup(_ level: RollupLevel, seriesID: Int64, in range: Range<Int64>, _ body: (Int64, Accumulator) -> Void) throws {
        note(.rollups(level, seriesID: seriesID, range: range))
    }

    func forEachLogSection(seriesID: Int64, _ body: ([UInt8]) throws -> Void) throws {
        note(.log(seriesID: seriesID))
    }
}

/// The second pass: the answers, fetched in one repeatable-read
/// transaction, so they are one consistent snapshot as SQLite's are.
struct SeriesAnswers: SeriesSnapshot, Sendable {
    var chunks: [SeriesQuestion: [(minTime: Int64, maxTime: Int64, data: [UInt8])]] = [:]
    var rollups: [SeriesQuestion: [(start: Int64, accumulator: Accumulator)]] = [:]
    var log: [Int64: [[UInt8]]] = [:]

    func forEachChunk(seriesID: Int64, overlapping range: Range<Int64>, _ body: (Int64, Int64, [UInt8]) throws -> Void) throws {
        for chunk in chunks[.chunks(seriesID: seriesID, range: range)] ?? [] { try body(chunk.minTime, chunk.maxTime, chunk.data) }
    }

    func forEachRollup(_ level: RollupLevel, seriesID: Int64, in range: Range<Int64>, _ body: (Int64, Accumulator) -> Void) throws {
        for row in rollups[.rollups(level, seriesID: seriesID, range: range)] ?? [] { body(row.start, row.accumulator) }
    }

    func forEachLogSection(seriesID: Int64, _ body: ([UInt8]) throws -> Void) throws {
        for section in log[seriesID] ?? [] { try body(section) }
    }

    /// Answers every question on one connection, inside the caller's snapshot.
    static func fetch(_ questions: [SeriesQuestion], _ connection: PostgresConnection) async throws -> SeriesAnswers {
        var answers = SeriesAnswers()
        var logSeries: Set<Int64> = []
        for question in questions {
            switch question {
            case .chunks(let seriesID, let range):
                answers.chunks[question] = try await connection.query("""
                    SELECT min_time, max_time, data FROM chunks
                    WHERE series_id = \(seriesID) AND window_start >= \(SeriesEngine.window(ofNanos: range.lowerBound))
                    AND window_start < \(range.upperBound) AND max_time >= \(range.lowerBound) AND min_time < \(range.upperBound)
                    """).all { row in
                    (try row["min_time", as: Int64.self], try row["max_time", as: Int64.self], try PostgresStore.bytes(from: row))
                }
            case .rollups(let level, let seriesID, let range):
                answers.rollups[question] = try await connection.query("""
                    SELECT start, count, sum, min, max, first FROM rollup_\(unescaped: level.rawValue)
                    WHERE series_id = \(seriesID) AND start >= \(range.lowerBound) AND start < \(range.upperBound)
                    """).all { row in
                    (try row["start", as: Int64.self],
                     Accumulator(count: try row["count", as: Int64.self], sum: try row["sum", as: Double.self],
                                 min: try row["min", as: Double.self], max: try row["max", as: Double.self],
                                 firstNanos: try row["first", as: Int64.self]))
                }
            case .log(let seriesID):
                logSeries.insert(seriesID)
            }
        }
        if !logSeries.isEmpty {
            // The log is short, so a read scans it, as on SQLite.
            let rows = try await connection.query("SELECT data FROM ingest_log WHERE kind = \(Int16(IngestLog.Kind.points.rawValue))")
                .all(PostgresStore.bytes(from:))
            for data in rows {
                for section in try IngestLogRow.decode(data) where logSeries.contains(section.seriesID) {
                    answers.log[section.seriesID, default: []].append(Array(section.chunk))
                }
            }
        }
        return answers
    }
}
