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
    /// Another collector holds the series lease and compacts.
    public var deferred = false
    /// Working it out from a snapshot, and storing it (holding the writer).
    public var planning: Duration = .zero
    public var storing: Duration = .zero

    public init() {}
}

/// A compaction round worked out before the write transaction: every
/// decode, sort, fold and encode is done first, and the transaction only
/// stores the result. Commits wait for the writer, so the writer must not
/// be held for the work.
///
/// Only the series maintenance (compaction, retention, the upgrade, run one
/// at a time: on one collector by `SerialJobs`, across collectors by a
/// lease) changes chunks and removes log rows; commits only append log
/// rows, and rollup upserts add. So what the round read is still true when
/// the plan is applied, though it was read in several reads.
struct CompactionPlan {
    /// The log rows the round read, in id order: exactly these go.
    var logIDs: [Int64] = []
    var round = CompactionRound()
    var rollups = RollupBatch()
    /// New chunks, and open chunks rewritten with more points.
    var inserts: [(seriesID: Int64, window: Int64, generation: Int, chunk: Chunk)] = []
    var updates: [(id: Int64, chunk: Chunk)] = []
    /// Chunks merged into a chunk of `inserts`.
    var deletes: [Int64] = []
    var documents: (block: [UInt8], count: Int, logIDs: [Int64])?

    var isEmpty: Bool { logIDs.isEmpty }
}

/// One series' chunks of one day.
struct ChunkWindow: Hashable, Sendable {
    var seriesID: Int64
    var start: Int64
}

/// A stored chunk as compaction decides about it: its size, not its points.
struct StoredChunkInfo: Sendable {
    var id: Int64
    var generation: Int
    var count: Int
}

/// What a compaction round reads, in three reads: the oldest log rows, the
/// sizes of the chunks of the days they touch, then the points of the
/// chunks the round rewrites. Each backend answers them its own way.
protocol CompactionSource {
    /// Log rows, oldest first, until they hold `budget` points.
    func logRows(upTo budget: Int) async throws -> [IngestLog.Record]
    /// Each window's chunks, by generation, then id.
    func chunks(of windows: [ChunkWindow]) async throws -> [ChunkWindow: [StoredChunkInfo]]
    /// The encoded points of chunks, by id.
    func chunkData(ids: [Int64]) async throws -> [Int64: [UInt8]]
}

extension SeriesEngine {
    /// How many chunks of one generation a day may hold before they are
    /// merged into one of the next: each point is rewritten about
    /// log₄(points in the day / `openChunkPoints`) times, never once per round.
    static let mergeFanIn = 4

    /// Works out a round: up to `budget` points of log rows, oldest first.
    func planRound(budget: Int, now: Date, source: some CompactionSource) async throws -> CompactionPlan {
        var plan = CompactionPlan()
        let rows = try await source.logRows(upTo: budget)
        guard !rows.isEmpty else { return plan }
        plan.logIDs = rows.map(\.id)
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
        var incoming: [(window: ChunkWindow, points: [ChunkPoint])] = []
        for (seriesID, points) in bySeries {
            let sorted = Chunk.sorted(points)
            plan.rollups.fold(sorted: sorted, seriesID: seriesID, cutoffs: cutoffs)
            // Older than the raw retention: kept by the rollups alone.
            var rest = sorted[sorted.firstIndex(atOrAfter: cutoffs.raw)...]
            while let first = rest.first {
                let window = Self.window(ofNanos: first.time)
                let end = rest.firstIndex(atOrAfter: window &+ Self.windowNanos)
                incoming.append((ChunkWindow(seriesID: seriesID, start: window), Array(rest[..<end])))
                rest = rest[end...]
            }
        }
        if !incoming.isEmpty {
            let stored = try await source.chunks(of: incoming.map(\.window))
            let layouts = incoming.map { Self.layout(adding: $0.points.count, to: stored[$0.window] ?? []) }
            let data = try await source.chunkData(ids: layouts.flatMap(\.storedIDsRead))
            func points(of sources: [WindowLayout.Source], incoming: [ChunkPoint]) throws -> [ChunkPoint] {
                var points: [ChunkPoint] = []
                for source in sources {
                    switch source {
                    case .incoming:
                        points += incoming
                    case .stored(let id):
                        guard let bytes = data[id] else { throw StoreError.unavailable("chunk \(id) vanished during compaction") }
                        points += try ChunkCodec.decode(bytes)
                    }
                }
                return points
            }
            for (layout, part) in zip(layouts, incoming) {
                if let (id, sources) = layout.update {
                    plan.updates.append((id, Chunk(try points(of: sources, incoming: part.points))))
                }
                for (generation, sources) in layout.inserts {
                    plan.inserts.append((part.window.seriesID, part.window.start, generation,
                                         Chunk(try points(of: sources, incoming: part.points))))
                }
                plan.deletes += layout.deletes
                plan.round.chunksMerged += layout.merged
                plan.round.chunksWritten += layout.inserts.count
            }
        }
        if !documentRows.isEmpty {
            let events = try documentRows.flatMap { try EventDocuments.decode($0.data) }
            plan.documents = (try Deflate.compress(Array(try EventDocuments.encode(events))), events.count, documentRows.map(\.id))
            plan.round.documents = events.count
        }
        return plan
    }

    /// A day's new points: into its open chunk while that is small, else a
    /// new chunk of generation 0; then the day's chunks merged generation by
    /// generation while one holds `mergeFanIn` or more. Decided from the
    /// chunks' sizes alone (a stored chunk's count is its points'), so the
    /// chunks to read are known before any is read.
    static func layout(adding count: Int, to stored: [StoredChunkInfo]) -> WindowLayout {
        struct Entry {
            var id: Int64?
            var generation: Int
            var count: Int
            var sources: [WindowLayout.Source]
            var grown = false
        }
        var chunks = stored.map { Entry(id: $0.id, generation: $0.generation, count: $0.count, sources: [.stored($0.id)]) }
        if let open = chunks.lastIndex(where: { $0.generation == 0 && $0.count < openChunkPoints }) {
            chunks[open].count += count
            chunks[open].sources.append(.incoming)
            chunks[open].grown = true
        } else {
            chunks.append(Entry(id: nil, generation: 0, count: count, sources: [.incoming]))
        }
        var layout = WindowLayout()
        // Merge: the open chunk of generation 0 is still growing, not yet.
        var generation = 0
        while true {
            let members = chunks.indices.filter {
                chunks[$0].generation == generation && (generation > 0 || chunks[$0].count >= openChunkPoints)
            }
            if members.count >= mergeFanIn {
                layout.deletes += members.compactMap { chunks[$0].id }
                layout.merged += members.count
                let merged = Entry(id: nil, generation: generation + 1, count: members.reduce(0) { $0 + chunks[$1].count },
                                   sources: members.flatMap { chunks[$0].sources })
                chunks = chunks.indices.filter { !members.contains($0) }.map { chunks[$0] } + [merged]
            } else if !chunks.contains(where: { $0.generation > generation }) {
                break
            }
            generation += 1
        }
        for chunk in chunks {
            if let id = chunk.id {
                if chunk.grown { layout.update = (id, chunk.sources) }
            } else {
                layout.inserts.append((chunk.generation, chunk.sources))
            }
        }
        return layout
    }
}

/// How one day's chunks change in a round.
struct WindowLayout {
    /// Where a written chunk's points come from.
    enum Source {
        case stored(Int64)
        case incoming
    }

    var inserts: [(generation: Int, sources: [Source])] = []
    /// The open chunk, rewritten with the new points.
    var update: (id: Int64, sources: [Source])?
    var deletes: [Int64] = []
    var merged = 0

    /// The stored chunks whose points the round reads.
    var storedIDsRead: [Int64] {
        (inserts.flatMap(\.sources) + (update?.sources ?? [])).compactMap { source in
            if case .stored(let id) = source { id } else { nil }
        }
    }
}

extension SeriesEngine {
    /// Stores a plan, in the caller's write transaction. A crash leaves the
    /// log rows or their compacted form, never both, never neither.
    func apply(_ plan: CompactionPlan, db: Database) throws {
        guard let lastLogID = plan.logIDs.last else { return }
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
        // One writer commits log rows in id order, so the rows read are
        // exactly those up to the last.
        try db.execute(sql: "DELETE FROM ingest_log WHERE id <= ?", arguments: [lastLogID])
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
