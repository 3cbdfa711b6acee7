import CollectorModel
import Foundation
import NIOCore
import PostgresNIO
import SeriesCodec

/// The series engine on PostgreSQL: the planner, the reader and retention's
/// rules are SQLite's (`SeriesEngine`); only the reads and writes are
/// PostgreSQL's. Compaction and retention run on the one collector holding
/// the series lease, and each of their transactions checks that it still
/// holds it, so a collector that stalled past its lease (a long pause, a
/// lost network) changes nothing another has taken over.
extension PostgresStore: SeriesStore {
    public static let seriesLease = "series-maintenance"
    /// Renewed every round; another collector takes over this long after
    /// the holder dies.
    static let seriesLeaseTime: Duration = .seconds(30)

    /// The reader runs twice: once to learn its questions, then over the
    /// answers, fetched in one repeatable-read snapshot.
    func readSeries<T: Sendable>(_ read: (any SeriesSnapshot) throws -> T) async throws -> T {
        let questions = SeriesQuestions()
        _ = try read(questions)
        let asked = questions.asked
        let answers = try await snapshot { connection in try await SeriesAnswers.fetch(asked, connection) }
        return try read(answers)
    }

    func existingSeriesID(of key: SeriesKey) async throws -> Int64? {
        if let id = catalog.cachedID(of: key) { return id }
        return try await query("""
            SELECT id FROM series WHERE namespace = \(key.namespace) AND name = \(key.name) AND tags = \(key.tags)
            """).firstRow { row in try row["id", as: Int64.self] }
    }

    public func points(namespace: String, name: String, from: Date, to: Date) async throws -> [SeriesPoint] {
        guard let seriesID = try await existingSeriesID(of: SeriesKey(namespace: namespace, name: name)) else { return [] }
        return try await readSeries { snapshot in
            try self.series.points(seriesID: seriesID, from: from.unixNanos, to: to.unixNanos, snapshot: snapshot)
        }.map { SeriesPoint(namespace: namespace, name: name, time: Date(unixNanos: $0.time), value: $0.value) }
    }

    public func aggregate(_ query: AggregationQuery) async throws -> [AggregateBucket] {
        guard let seriesID = try await existingSeriesID(of: SeriesKey(namespace: query.namespace, name: query.name)) else { return [] }
        let now = Date()
        return try await readSeries { snapshot in try self.series.aggregate(query, seriesID: seriesID, now: now, snapshot: snapshot) }
    }

    public func points(seriesID: Int64, from: Int64, to: Int64) async throws -> [(time: Int64, value: Double)] {
        try await readSeries { snapshot in try self.series.points(seriesID: seriesID, from: from, to: to, snapshot: snapshot) }
            .map { ($0.time, $0.value) }
    }

    public func buckets(seriesIDs: [Int64], from: Int64, to: Int64, interval: Int64, offset: Int64) async throws -> [Int64: Accumulator] {
        let now = Date()
        return try await readSeries { snapshot in
            try self.series.fixedBuckets(seriesIDs: seriesIDs, from: from, to: to, interval: interval, offset: offset, now: now,
                                         snapshot: snapshot)
        }
    }

    public func strings(seriesID: Int64, from: Int64, to: Int64) async throws -> [(time: Int64, value: String)] {
        guard from < to else { return [] }
        return try await query("""
            SELECT time, value FROM string_points WHERE series_id = \(seriesID) AND time >= \(from) AND time < \(to) ORDER BY time, seq
            """).all { row in (try row["time", as: Int64.self], try row["value", as: String.self]) }
    }

    /// Names compare byte by byte, as SQLite compares them.
    public func namespaces() async throws -> [String] {
        try await query(#"SELECT DISTINCT namespace COLLATE "C" AS namespace FROM series ORDER BY 1"#).all { row in
            try row["namespace", as: String.self]
        }
    }

    public func series(namespace: String) async throws -> [StoredSeries] {
        try await query("""
            SELECT id, name, tags, measurement, field, field_type FROM series WHERE namespace = \(namespace)
            ORDER BY name COLLATE "C", tags COLLATE "C"
            """).all { row in
            var labels: SeriesLabels?
            if let measurement = try row["measurement", as: String?.self], let field = try row["field", as: String?.self] {
                labels = SeriesLabels(measurement: measurement, field: field, tags: SeriesLabels.tags(fromText: try row["tags", as: String.self]),
                                      type: (try row["field_type", as: String?.self]).flatMap(SeriesLabels.FieldType.init(rawValue:)) ?? .float)
            }
            return StoredSeries(id: try row["id", as: Int64.self], namespace: namespace, name: try row["name", as: String.self], labels: labels)
        }
    }

    // MARK: Maintenance

    /// One round, if this collector holds the series lease; a round that
    /// another collector's holds is `deferred`.
    public func compact(budget: Int, holding hold: Duration) async throws -> CompactionRound {
        try await maintenance.run {
            guard try await self.acquireLease(Self.seriesLease, holder: self.holder, for: Self.seriesLeaseTime) else {
                var round = CompactionRound()
                round.deferred = true
                return round
            }
            let started = ContinuousClock.now
            let plan = try await self.series.planRound(budget: budget, now: Date(), source: PostgresCompactionSource(store: self))
            guard !plan.isEmpty else { return plan.round }
            let planned = ContinuousClock.now
            try await self.maintenanceTransaction { connection in
                try await self.apply(plan, connection)
                if hold > .zero { try await Task.sleep(for: hold) }
            }
            var round = plan.round
            round.planning = planned - started
            round.storing = ContinuousClock.now - planned
            return round
        }
    }

    /// Small transactions, as on SQLite, each under the lease.
    public func expire(_ cutoffs: Retention.Cutoffs, chunk limit: Int) async throws -> Int {
        try await maintenance.run {
            var removed = 0
            while try await self.acquireLease(Self.seriesLease, holder: self.holder, for: Self.seriesLeaseTime) {
                let count = try await self.maintenanceTransaction { connection in try await self.expire(cutoffs, limit: limit, connection) }
                removed += count
                if count == 0 { break }
            }
            return removed
        }
    }

    /// A transaction that commits only while this collector holds the
    /// series lease: the lease row stays locked to the commit, so the lease
    /// cannot move to another collector meanwhile.
    func maintenanceTransaction<T: Sendable>(_ body: @Sendable @escaping (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction { [holder] connection in
            let held = try await connection.query("""
                SELECT holder FROM leases WHERE name = \(Self.seriesLease) AND holder = \(holder)
                AND expires > \(unescaped: Self.databaseNow) FOR UPDATE
                """).firstRow { _ in true } ?? false
            guard held else { throw StoreError.unavailable("the series lease moved to another collector; this round was dropped") }
            return try await body(connection)
        }
    }

    /// Stores a plan: a crash leaves the log rows or their compacted form.
    /// Exactly the log rows read go: on PostgreSQL a row with a lower id
    /// may commit after one with a higher id was read.
    func apply(_ plan: CompactionPlan, _ connection: PostgresConnection) async throws {
        if !plan.inserts.isEmpty {
            try await ensurePartitions("chunks", covering: plan.inserts.map(\.window), connection)
            try await connection.query("""
                INSERT INTO chunks (series_id, window_start, generation, min_time, max_time, count, data)
                SELECT * FROM unnest(\(plan.inserts.map(\.seriesID))::BIGINT[], \(plan.inserts.map(\.window))::BIGINT[],
                    \(plan.inserts.map { Int32($0.generation) })::INTEGER[], \(plan.inserts.map(\.chunk.minTime))::BIGINT[],
                    \(plan.inserts.map(\.chunk.maxTime))::BIGINT[], \(plan.inserts.map { Int32($0.chunk.count) })::INTEGER[],
                    \(plan.inserts.map { ByteBuffer(data: $0.chunk.data) })::BYTEA[])
                """)
        }
        if !plan.updates.isEmpty {
            try await connection.query("""
                UPDATE chunks SET min_time = u.min_time, max_time = u.max_time, count = u.count, data = u.data
                FROM unnest(\(plan.updates.map(\.id))::BIGINT[], \(plan.updates.map(\.chunk.minTime))::BIGINT[],
                    \(plan.updates.map(\.chunk.maxTime))::BIGINT[], \(plan.updates.map { Int32($0.chunk.count) })::INTEGER[],
                    \(plan.updates.map { ByteBuffer(data: $0.chunk.data) })::BYTEA[]) AS u(id, min_time, max_time, count, data)
                WHERE chunks.id = u.id
                """)
        }
        if !plan.deletes.isEmpty {
            try await connection.query("DELETE FROM chunks WHERE id = ANY(\(plan.deletes))")
        }
        try await write(plan.rollups, connection)
        if let documents = plan.documents {
            let block = try await connection.query("""
                INSERT INTO event_blocks (count, data) VALUES (\(Int32(documents.count)), \(ByteBuffer(bytes: documents.block))) RETURNING id
                """).firstRow { row in try row["id", as: Int64.self] }
            try await connection.query("UPDATE event_ids SET log_id = NULL, block_id = \(block) WHERE log_id = ANY(\(documents.logIDs))")
        }
        try await connection.query("DELETE FROM ingest_log WHERE id = ANY(\(plan.logIDs))")
    }

    /// Rollup rows added to what is stored: LEAST and GREATEST are
    /// PostgreSQL's spelling of SQLite's two-argument MIN and MAX.
    func write(_ rollups: RollupBatch, _ connection: PostgresConnection) async throws {
        for (level, rows) in rollups.rowsByLevel() where !rows.isEmpty {
            let table = "rollup_\(level.rawValue)"
            try await ensurePartitions(table, covering: rows.map(\.start), connection)
            try await connection.query("""
                INSERT INTO \(unescaped: table) AS r (series_id, start, count, sum, min, max, first)
                SELECT * FROM unnest(\(rows.map(\.seriesID))::BIGINT[], \(rows.map(\.start))::BIGINT[],
                    \(rows.map(\.accumulator.count))::BIGINT[], \(rows.map(\.accumulator.sum))::DOUBLE PRECISION[],
                    \(rows.map(\.accumulator.min))::DOUBLE PRECISION[], \(rows.map(\.accumulator.max))::DOUBLE PRECISION[],
                    \(rows.map(\.accumulator.firstNanos))::BIGINT[])
                ON CONFLICT (series_id, start) DO UPDATE SET
                    count = r.count + excluded.count, sum = r.sum + excluded.sum,
                    min = LEAST(r.min, excluded.min), max = GREATEST(r.max, excluded.max), first = LEAST(r.first, excluded.first)
                """)
        }
    }

    /// SQLite's retention step in PostgreSQL's form, where whole months go
    /// as partitions: chunks first downsampled into minutes row by row
    /// where minutes are kept longer, then their emptied months dropped.
    func expire(_ cutoffs: Retention.Cutoffs, limit: Int, _ connection: PostgresConnection) async throws -> Int {
        let downsampled = cutoffs.minute < cutoffs.raw
        var dropped = 0
        if cutoffs.raw > .min {
            dropped += try await dropPartitions(of: "chunks", endingBy: cutoffs.raw &- SeriesEngine.windowNanos, onlyEmpty: downsampled, connection)
            dropped += try await dropPartitions(of: "string_points", endingBy: cutoffs.raw, onlyEmpty: false, connection)
        }
        for level in RollupLevel.allCases where cutoffs.cut(level) > .min {
            dropped += try await dropPartitions(of: "rollup_\(level.rawValue)", endingBy: cutoffs.cut(level), onlyEmpty: false, connection)
        }
        if dropped > 0 { return dropped }
        if cutoffs.raw > .min {
            let due = try await connection.query("""
                SELECT id, series_id, data FROM chunks WHERE window_start <= \(cutoffs.raw &- SeriesEngine.windowNanos) LIMIT \(Int64(limit))
                """).all { row in (id: try row["id", as: Int64.self], seriesID: try row["series_id", as: Int64.self], data: try Self.bytes(from: row)) }
            if !due.isEmpty {
                try await self.write(try SeriesEngine.minutes(of: due.map { ($0.seriesID, $0.data) }, cutoffs: cutoffs), connection)
                try await connection.query("DELETE FROM chunks WHERE id = ANY(\(due.map(\.id)))")
                return due.count
            }
        }
        var tables: [(table: String, column: String, before: Int64)] = [("string_points", "time", cutoffs.raw)]
        for level in RollupLevel.allCases { tables.append(("rollup_\(level.rawValue)", "start", cutoffs.cut(level))) }
        for (table, column, before) in tables where before > .min {
            let removed = try await connection.query("""
                DELETE FROM \(unescaped: table) WHERE ctid IN (SELECT ctid FROM \(unescaped: table) WHERE \(unescaped: column) < \(before) LIMIT \(Int64(limit)))
                RETURNING 1 AS removed
                """).all { _ in 1 }.count
            if removed > 0 { return removed }
        }
        return 0
    }

    /// Nothing to move: PostgreSQL databases start with the series engine.
    public func upgradeStep() async throws -> Bool { false }

    /// PostgreSQL's autovacuum returns space; nothing to do here.
    public func reclaimSpace(pages: Int) async throws -> Int { 0 }

    /// PostgreSQL checkpoints on its own.
    public func checkpoint() async throws {}
}

/// What a compaction round reads, from PostgreSQL.
struct PostgresCompactionSource: CompactionSource {
    let store: PostgresStore

    func logRows(upTo budget: Int) async throws -> [IngestLog.Record] {
        // Sizes first, so the round reads the data of its own rows only.
        var ids: [Int64] = []
        var points = 0
        for (id, count) in try await store.query("SELECT id, count FROM ingest_log ORDER BY id").all({ row in
            (try row["id", as: Int64.self], Int(try row["count", as: Int32.self]))
        }) {
            guard points < budget else { break }
            ids.append(id)
            points += count
        }
        guard !ids.isEmpty else { return [] }
        return try await store.query("SELECT id, kind, data FROM ingest_log WHERE id = ANY(\(ids)) ORDER BY id").all { row in
            try IngestLog.Record(id: try row["id", as: Int64.self], kind: Int(try row["kind", as: Int16.self]),
                                 data: try PostgresStore.bytes(from: row))
        }
    }

    func chunks(of windows: [ChunkWindow]) async throws -> [ChunkWindow: [StoredChunkInfo]] {
        guard !windows.isEmpty else { return [:] }
        var chunks: [ChunkWindow: [StoredChunkInfo]] = [:]
        for (window, info) in try await store.query("""
            SELECT c.id, c.series_id, c.window_start, c.generation, c.count
            FROM chunks c JOIN unnest(\(windows.map(\.seriesID))::BIGINT[], \(windows.map(\.start))::BIGINT[]) AS w(series_id, start)
            ON c.series_id = w.series_id AND c.window_start = w.start
            ORDER BY c.generation, c.id
            """).all({ row in
                (ChunkWindow(seriesID: try row["series_id", as: Int64.self], start: try row["window_start", as: Int64.self]),
                 StoredChunkInfo(id: try row["id", as: Int64.self], generation: Int(try row["generation", as: Int32.self]),
                                 count: Int(try row["count", as: Int32.self])))
            }) {
            chunks[window, default: []].append(info)
        }
        return chunks
    }

    func chunkData(ids: [Int64]) async throws -> [Int64: [UInt8]] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(try await store.query("SELECT id, data FROM chunks WHERE id = ANY(\(ids))").all { row in
            (try row["id", as: Int64.self], try PostgresStore.bytes(from: row))
        }, uniquingKeysWith: { first, _ in first })
    }
}
