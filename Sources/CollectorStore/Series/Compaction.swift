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
    /// Working it out from a snapshot, and storing it (holding the writer).
    public var planning: Duration = .zero
    public var storing: Duration = .zero

    public init() {}
}

/// A compaction round worked out from a read snapshot: every decode, sort,
/// fold and encode is done before the write transaction, which then only
/// stores the result. Commits wait for the writer, so the writer must not
/// be held for the work.
///
/// Only the series maintenance (compaction, retention, the upgrade, run one
/// at a time) changes chunks and compacted log rows; commits only append
/// log rows, and rollup upserts add. So what the snapshot saw is still true
/// when the plan is applied.
struct CompactionPlan {
    var lastLogID: Int64?
    var round = CompactionRound()
    var rollups = RollupBatch()
    /// New chunks, and open chunks rewritten with more points.
    var inserts: [(seriesID: Int64, window: Int64, generation: Int, chunk: Chunk)] = []
    var updates: [(id: Int64, chunk: Chunk)] = []
    /// Chunks merged into a chunk of `inserts`.
    var deletes: [Int64] = []
    var documents: (block: [UInt8], count: Int, logIDs: [Int64])?
}

extension SeriesEngine {
    /// How many chunks of one generation a day may hold before they are
    /// merged into one of the next: each point is rewritten about
    /// log₄(points in the day / `openChunkPoints`) times, never once per round.
    static let mergeFanIn = 4

    /// Works out a round from a read snapshot: up to `budget` points of log
    /// rows, oldest first.
    func planRound(budget: Int, now: Date, db: Database) throws -> CompactionPlan {
        var plan = CompactionPlan()
        let rows = try IngestLog.rows(upTo: budget, db: db)
        guard let last = rows.last else { return plan }
        plan.lastLogID = last.id
        plan.round.logRows = rows.count
        let cutoffs = retention.writeCutoffs(now: now)
        var bySeries: [Int64: [ChunkPoint]] = [:]
        var documentRows: [(id: Int64, data: [UInt8])] = []
        for row in rows {
            switch row.kind {
            case .points:
                for section in try IngestLogRow.decode(row.data) {
                    let points = try ChunkCodec.decode(Array(section.chunk))
                    bySeries[section.seriesID, default: []].append(contentsOf: points)
                    plan.round.points += points.count
                }
            case .documents:
                documentRows.append((row.id, row.data))
            }
        }
        // One sorted pass per series: its points fold into the rollups and
        // split into days without hashing a point.
        for (seriesID, points) in bySeries {
            let sorted = Chunk.sorted(points)
            plan.rollups.fold(sorted: sorted, seriesID: seriesID, cutoffs: cutoffs)
            // Older than the raw retention: kept by the rollups alone.
            var rest = sorted[sorted.firstIndex(atOrAfter: cutoffs.raw)...]
            while let first = rest.first {
                let window = Self.window(ofNanos: first.time)
                let end = rest.firstIndex(atOrAfter: window &+ Self.windowNanos)
                try planWindow(seriesID: seriesID, window: window, sorted: Array(rest[..<end]), plan: &plan, db: db)
                rest = rest[end...]
            }
        }
        if !documentRows.isEmpty {
            let events = try documentRows.flatMap { try EventDocuments.decode($0.data) }
            plan.documents = (try Deflate.compress(Array(try EventDocuments.encode(events))), events.count, documentRows.map(\.id))
            plan.round.documents = events.count
        }
        return plan
    }

    /// Stores a plan, in the caller's write transaction. A crash leaves the
    /// log rows or their compacted form, never both, never neither.
    func apply(_ plan: CompactionPlan, db: Database) throws {
        guard let lastLogID = plan.lastLogID else { return }
        for (seriesID, window, generation, chunk) in plan.inserts {
            try chunk.insert(seriesID: seriesID, window: window, generation: generation, db: db)
        }
        let update = try db.cachedStatement(sql: "UPDATE chunks SET min_time = ?, max_time = ?, count = ?, data = ? WHERE id = ?")
        for (id, chunk) in plan.updates {
            try update.execute(arguments: [chunk.minTime, chunk.maxTime, chunk.count, chunk.data, id])
        }
        let delete = try db.cachedStatement(sql: "DELETE FROM chunks WHERE id = ?")
        for id in plan.deletes { try delete.execute(arguments: [id]) }
        try plan.rollups.write(db: db)
        if let documents = plan.documents {
            try db.execute(sql: "INSERT INTO event_blocks (count, data) VALUES (?, ?)", arguments: [documents.count, Data(documents.block)])
            let block = db.lastInsertedRowID
            let move = try db.cachedStatement(sql: "UPDATE event_ids SET log_id = NULL, block_id = ? WHERE log_id = ?")
            for logID in documents.logIDs { try move.execute(arguments: [block, logID]) }
        }
        try db.execute(sql: "DELETE FROM ingest_log WHERE id <= ?", arguments: [lastLogID])
    }

    /// A day's new points: into its open chunk while that is small, else a
    /// new chunk of generation 0; then the day's chunks merged generation by
    /// generation while one holds `mergeFanIn` or more.
    private func planWindow(seriesID: Int64, window: Int64, sorted points: [ChunkPoint], plan: inout CompactionPlan, db: Database) throws {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, generation, count FROM chunks WHERE series_id = ? AND window_start = ? ORDER BY generation, id
            """), arguments: [seriesID, window])
        var chunks = rows.map { (id: Optional($0[0] as Int64), generation: $0[1] as Int, count: $0[2] as Int, points: [ChunkPoint]?.none) }
        if let open = chunks.lastIndex(where: { $0.generation == 0 && $0.count < Self.openChunkPoints }), let id = chunks[open].id {
            let grown = Chunk.sorted(try readChunk(id: id, db: db) + points)
            plan.updates.append((id, Chunk(grown)))
            chunks[open].count = grown.count
            chunks[open].points = grown
        } else {
            chunks.append((nil, 0, points.count, points))
        }
        // Merge: the open chunk of generation 0 is still growing, not yet.
        var generation = 0
        while true {
            let members = chunks.indices.filter {
                chunks[$0].generation == generation && (generation > 0 || chunks[$0].count >= Self.openChunkPoints)
            }
            if members.count >= Self.mergeFanIn {
                var merged: [ChunkPoint] = []
                for index in members {
                    if let points = chunks[index].points {
                        merged += points
                    } else if let id = chunks[index].id {
                        merged += try readChunk(id: id, db: db)
                    }
                    if let id = chunks[index].id {
                        plan.deletes.append(id)
                        plan.updates.removeAll { $0.id == id }
                    }
                }
                plan.round.chunksMerged += members.count
                chunks = chunks.indices.filter { !members.contains($0) }.map { chunks[$0] }
                chunks.append((nil, generation + 1, merged.count, Chunk.sorted(merged)))
            } else if !chunks.contains(where: { $0.generation > generation }) {
                break
            }
            generation += 1
        }
        for chunk in chunks where chunk.id == nil {
            guard let points = chunk.points else { continue }
            plan.inserts.append((seriesID, window, chunk.generation, Chunk(points)))
            plan.round.chunksWritten += 1
        }
    }

    private func readChunk(id: Int64, db: Database) throws -> [ChunkPoint] {
        guard let data = try Data.fetchOne(db.cachedStatement(sql: "SELECT data FROM chunks WHERE id = ?"), arguments: [id]) else {
            throw StoreError.unavailable("chunk \(id) vanished during compaction")
        }
        return try ChunkCodec.decode([UInt8](data))
    }
}

/// A chunk ready to store: its points sorted by time and encoded. The plan
/// of a round holds every chunk it writes until the round commits, so it
/// keeps the encoded bytes only (about a tenth of the decoded points: a
/// round that merged older chunks once peaked at 104 MB of them).
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

extension RandomAccessCollection where Element == ChunkPoint {
    /// In points sorted by time, the first at or after `time`.
    func firstIndex(atOrAfter time: Int64) -> Index {
        var low = startIndex
        var count = distance(from: startIndex, to: endIndex)
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if self[middle].time < time {
                low = index(after: middle)
                count -= half + 1
            } else {
                count = half
            }
        }
        return low
    }
}
