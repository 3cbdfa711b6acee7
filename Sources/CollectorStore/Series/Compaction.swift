import CollectorModel
import Foundation
import GRDB
import SeriesCodec

/// What one compaction round did.
public struct CompactionRound: Sendable, Equatable {
    public var logRows = 0
    public var points = 0
    public var documents = 0
    public var chunksWritten = 0
    public var chunksMerged = 0

    public init() {}
}

extension SeriesEngine {
    /// How many chunks of one generation a day may hold before they are
    /// merged into one of the next: each point is rewritten about
    /// log₄(points in the day / `openChunkPoints`) times, never once per round.
    static let mergeFanIn = 4

    /// One round, in the caller's write transaction: up to `budget` points
    /// of log rows, oldest first, become chunks, rollups and document
    /// blocks, and the rows go. A crash leaves the rows or their compacted
    /// form, never both, never neither.
    func compactRound(budget: Int, now: Date, db: Database) throws -> CompactionRound {
        var round = CompactionRound()
        let rows = try IngestLog.rows(upTo: budget, db: db)
        guard let last = rows.last else { return round }
        let cutoffs = retention.writeCutoffs(now: now)
        var bySeries: [Int64: [ChunkPoint]] = [:]
        var documentRows: [(id: Int64, data: [UInt8])] = []
        for row in rows {
            switch row.kind {
            case .points:
                for section in try IngestLogRow.decode(row.data) {
                    let points = try ChunkCodec.decode(Array(section.chunk))
                    bySeries[section.seriesID, default: []].append(contentsOf: points)
                    round.points += points.count
                }
            case .documents:
                documentRows.append((row.id, row.data))
            }
        }
        var rollups = RollupBatch()
        var touched: [(series: Int64, window: Int64)] = []
        for (seriesID, points) in bySeries {
            var windows: [Int64: [ChunkPoint]] = [:]
            for point in points {
                rollups.add(seriesID: seriesID, nanos: point.time, value: point.value, cutoffs: cutoffs)
                // Older than the raw retention: kept by the rollups alone.
                if point.time >= cutoffs.raw { windows[Self.window(ofNanos: point.time), default: []].append(point) }
            }
            for (window, points) in windows {
                round.chunksWritten += try writeChunk(seriesID: seriesID, window: window, points: points, db: db)
                touched.append((seriesID, window))
            }
        }
        try rollups.write(db: db)
        round.documents = try EventDocuments.compact(documentRows, db: db)
        try db.execute(sql: "DELETE FROM ingest_log WHERE id <= ?", arguments: [last.id])
        round.logRows = rows.count
        for (seriesID, window) in touched {
            round.chunksMerged += try mergeWindow(seriesID: seriesID, window: window, db: db)
        }
        return round
    }

    /// Sorted points into a day: appended to the day's open chunk while it
    /// is small, else a new chunk of generation 0.
    private func writeChunk(seriesID: Int64, window: Int64, points: [ChunkPoint], db: Database) throws -> Int {
        var points = points
        if let open = try Row.fetchOne(db, sql: """
            SELECT id, data FROM chunks WHERE series_id = ? AND window_start = ? AND generation = 0 AND count < ?
            ORDER BY id DESC LIMIT 1
            """, arguments: [seriesID, window, Self.openChunkPoints]) {
            let data: Data = open[1]
            points += try ChunkCodec.decode([UInt8](data))
            let chunk = Chunk(points)
            try db.execute(sql: "UPDATE chunks SET min_time = ?, max_time = ?, count = ?, data = ? WHERE id = ?",
                           arguments: [chunk.minTime, chunk.maxTime, chunk.count, chunk.data, open[0] as Int64])
            return 0
        }
        try Chunk(points).insert(seriesID: seriesID, window: window, generation: 0, db: db)
        return 1
    }

    /// Merges a day's chunks, generation by generation, while one holds
    /// `mergeFanIn` or more; returns how many chunks were merged away.
    func mergeWindow(seriesID: Int64, window: Int64, db: Database) throws -> Int {
        var merged = 0
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, generation, count FROM chunks WHERE series_id = ? AND window_start = ? ORDER BY generation, id
                """, arguments: [seriesID, window])
            // The open chunk of generation 0 is still growing: not yet.
            let settled = rows.filter { ($0[1] as Int) > 0 || ($0[2] as Int) >= Self.openChunkPoints }
            let byGeneration = Dictionary(grouping: settled) { $0[1] as Int }
            guard let (generation, group) = byGeneration.filter({ $0.value.count >= Self.mergeFanIn }).min(by: { $0.key < $1.key }) else {
                return merged
            }
            let ids = group.map { $0[0] as Int64 }
            var points: [ChunkPoint] = []
            for id in ids {
                guard let data = try Data.fetchOne(db, sql: "SELECT data FROM chunks WHERE id = ?", arguments: [id]) else { continue }
                points += try ChunkCodec.decode([UInt8](data))
            }
            try db.execute(sql: "DELETE FROM chunks WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                           arguments: StatementArguments(ids))
            try Chunk(points).insert(seriesID: seriesID, window: window, generation: generation + 1, db: db)
            merged += ids.count
        }
    }
}

/// A chunk ready to store: its points sorted by time and encoded.
struct Chunk {
    var minTime: Int64
    var maxTime: Int64
    var count: Int
    var data: Data

    init(_ points: [ChunkPoint]) {
        let sorted = Chunk.sorted(points)
        minTime = sorted.first?.time ?? 0
        maxTime = sorted.last?.time ?? 0
        count = sorted.count
        data = Data(ChunkCodec.encode(sorted))
    }

    func insert(seriesID: Int64, window: Int64, generation: Int, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO chunks (series_id, window_start, generation, min_time, max_time, count, data) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [seriesID, window, generation, minTime, maxTime, count, data])
    }
}
