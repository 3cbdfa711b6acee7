import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    public func points(namespace: String, name: String, from: Date, to: Date) async throws -> [SeriesPoint] {
        try await pool.read { db in
            guard let seriesID = try SeriesCatalog.existingID(of: SeriesKey(namespace: namespace, name: name), db: db) else { return [] }
            return try self.series.points(seriesID: seriesID, from: from.unixNanos, to: to.unixNanos, snapshot: self.snapshot(db))
                .map { SeriesPoint(namespace: namespace, name: name, time: Date(unixNanos: $0.time), value: $0.value) }
        }
    }

    public func aggregate(_ query: AggregationQuery) async throws -> [AggregateBucket] {
        try await pool.read { db in
            guard let seriesID = try SeriesCatalog.existingID(of: SeriesKey(namespace: query.namespace, name: query.name), db: db) else {
                return []
            }
            return try self.series.aggregate(query, seriesID: seriesID, now: Date(), snapshot: self.snapshot(db))
        }
    }

    public func expire(_ cutoffs: Retention.Cutoffs, chunk: Int) async throws -> Int {
        try await maintenance.run {
            var removed = 0
            // Small transactions, so ingest never waits long behind expiry.
            while true {
                let count = try await self.write { db in try self.series.expire(cutoffs, limit: chunk, db: db) }
                removed += count
                if count == 0 { return removed }
            }
        }
    }

    /// The round is worked out from a read snapshot and only stored in the
    /// write transaction, so commits wait for the storing, not the work.
    public func compact(budget: Int, holding hold: Duration) async throws -> CompactionRound {
        try await maintenance.run {
            let started = ContinuousClock.now
            let plan = try await self.series.planRound(budget: budget, now: Date(), source: SQLiteCompactionSource(pool: self.pool))
            guard !plan.isEmpty else { return plan.round }
            let planned = ContinuousClock.now
            try await self.write { db in
                try self.series.apply(plan, db: db)
                if hold > .zero { usleep(UInt32(hold.seconds * 1e6)) }
            }
            var round = plan.round
            round.planning = planned - started
            round.storing = ContinuousClock.now - planned
            return round
        }
    }

    /// What a compaction round reads, each part in a read of its own.
    struct SQLiteCompactionSource: CompactionSource {
        let pool: DatabasePool

        func logRows(upTo budget: Int) async throws -> [IngestLog.Record] {
            try await pool.read { db in try IngestLog.rows(upTo: budget, db: db) }
        }

        func chunks(of windows: [ChunkWindow]) async throws -> [ChunkWindow: [StoredChunkInfo]] {
            try await pool.read { db in
                let statement = try db.cachedStatement(sql: """
                    SELECT id, generation, count FROM chunks WHERE series_id = ? AND window_start = ? ORDER BY generation, id
                    """)
                var chunks: [ChunkWindow: [StoredChunkInfo]] = [:]
                for window in windows {
                    let rows = try Row.fetchAll(statement, arguments: [window.seriesID, window.start])
                    if !rows.isEmpty { chunks[window] = rows.map { StoredChunkInfo(id: $0[0], generation: $0[1], count: $0[2]) } }
                }
                return chunks
            }
        }

        func chunkData(ids: [Int64]) async throws -> [Int64: [UInt8]] {
            guard !ids.isEmpty else { return [:] }
            return try await pool.read { db in
                let statement = try db.cachedStatement(sql: "SELECT data FROM chunks WHERE id = ?")
                var data: [Int64: [UInt8]] = [:]
                for id in ids {
                    if let bytes = try Data.fetchOne(statement, arguments: [id]) { data[id] = [UInt8](bytes) }
                }
                return data
            }
        }
    }

    /// The read side's view of a read transaction.
    func snapshot(_ db: Database) -> SQLiteSeriesSnapshot {
        SQLiteSeriesSnapshot(db: db, rowStoreRemains: series.legacyRowsRemain)
    }

    public func ingestBacklog() async throws -> Int {
        try await pool.read { db in try IngestLog.backlog(db: db) }
    }

    /// Copies committed pages from the WAL into the database file without
    /// blocking the writer (a passive checkpoint, on its own connection).
    public func checkpoint() async throws {
        try await checkpointer.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    }

    /// Returns up to `pages` free pages to the file system; how many went.
    public func reclaimSpace(pages: Int) async throws -> Int {
        let walPath = path + "-wal"
        return try await pool.writeWithoutTransaction { db in
            let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            guard free > 0 else {
                // Nothing left to free: the write-ahead log, which a burst
                // grew to its limit, goes back to the file system too.
                // Readers in the way: the next idle round tries again.
                let walBytes = (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0
                if walBytes > Self.idleWALBytes { _ = try? db.checkpoint(.truncate) }
                return 0
            }
            try db.execute(sql: "PRAGMA incremental_vacuum(\(max(1, pages)))")
            return free - (try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0)
        }
    }

    public func upgradeStep() async throws -> Bool {
        guard series.legacyRowsRemain else { return false }
        return try await maintenance.run { try await self.write { db in try self.series.upgradeStep(db: db) } }
    }
}

extension SQLiteStore {
    public func namespaces() async throws -> [String] {
        try await pool.read { db in try self.series.namespaces(db: db) }
    }

    public func series(namespace: String) async throws -> [StoredSeries] {
        try await pool.read { db in try self.series.series(namespace: namespace, db: db) }
    }

    public func points(seriesID: Int64, from: Int64, to: Int64) async throws -> [(time: Int64, value: Double)] {
        try await pool.read { db in
            try self.series.points(seriesID: seriesID, from: from, to: to, snapshot: self.snapshot(db)).map { ($0.time, $0.value) }
        }
    }

    public func strings(seriesID: Int64, from: Int64, to: Int64) async throws -> [(time: Int64, value: String)] {
        try await pool.read { db in try self.series.strings(seriesID: seriesID, from: from, to: to, db: db) }
    }

    public func buckets(seriesIDs: [Int64], from: Int64, to: Int64, interval: Int64, offset: Int64) async throws -> [Int64: Accumulator] {
        try await pool.read { db in
            try self.series.fixedBuckets(seriesIDs: seriesIDs, from: from, to: to, interval: interval, offset: offset, now: Date(),
                                         snapshot: self.snapshot(db))
        }
    }
}
