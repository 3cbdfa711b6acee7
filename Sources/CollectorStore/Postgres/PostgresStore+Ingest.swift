import CollectorModel
import Foundation
import NIOCore
import PostgresNIO
import SeriesCodec

extension PostgresStore {
    /// As on SQLite: the writes in one transaction, each batch admitted by
    /// its agent's high-water mark. The marks are read `FOR UPDATE`, so when
    /// an agent that failed over resends a batch to a second collector while
    /// the first still commits it, the second waits for that commit, reads
    /// the moved mark and answers `.duplicate`. The rows are locked in id
    /// order, so two collectors' group commits never deadlock.
    public func commit(_ writes: [IngestWrite], at time: Date) async throws -> [BatchOutcome] {
        guard !writes.isEmpty else { return [] }
        let writes = IngestLog.prepare(writes)
        let agentIDs = Set(writes.compactMap { write -> String? in
            if case .batch(let batch) = write { batch.agentID } else { nil }
        }).sorted()
        return try await transaction { connection in
            var marks: [String: HighWaterMark] = [:]
            var hostnames: [String: String] = [:]
            if !agentIDs.isEmpty {
                for (id, hostname, mark) in try await connection.query("""
                    SELECT id, hostname, high_water_mark, dropped_batches FROM agents WHERE id = ANY(\(agentIDs)) ORDER BY id FOR UPDATE
                    """).all({ row in
                        (try row["id", as: String.self], try row["hostname", as: String.self],
                         HighWaterMark(high: UInt64(try row["high_water_mark", as: Int64.self]),
                                       dropped: UInt64(try row["dropped_batches", as: Int64.self])))
                    }) {
                    marks[id] = mark
                    hostnames[id] = hostname
                }
            }
            let locked = marks
            var outcomes: [BatchOutcome] = []
            outcomes.reserveCapacity(writes.count)
            for write in writes {
                switch write {
                case .batch(let batch):
                    guard var mark = marks[batch.agentID] else { throw StoreError.unknownAgent(batch.agentID) }
                    let outcome = mark.admit(batch)
                    if outcome == .stored {
                        try await self.insertContents(of: batch, hostname: hostnames[batch.agentID] ?? batch.agentID, connection)
                        marks[batch.agentID] = mark
                    }
                    outcomes.append(outcome)
                case .points(let points):
                    try await self.appendLog(IngestLog.encode(points), connection)
                    outcomes.append(.stored)
                case .encodedPoints(let series):
                    try await self.appendLog(series, connection)
                    outcomes.append(.stored)
                case .events(let events, let keepingIDs):
                    try await self.insert(events: events, keepingIDs: keepingIDs, connection)
                    outcomes.append(.stored)
                case .crawls(let samples):
                    for sample in samples { try await self.record(sample, connection) }
                    outcomes.append(.stored)
                case .strings(let points):
                    try await self.insert(strings: points, connection)
                    outcomes.append(.stored)
                }
            }
            let now = time.unixNanos
            for (agentID, mark) in marks where mark != locked[agentID] {
                try await connection.query("""
                    UPDATE agents SET high_water_mark = \(Int64(mark.high)), dropped_batches = \(Int64(mark.dropped)), last_seen = \(now)
                    WHERE id = \(agentID)
                    """)
            }
            return outcomes
        }
    }

    private func insertContents(of batch: IngestBatch, hostname: String, _ connection: PostgresConnection) async throws {
        try await appendLog(batch.encoded, connection)
        if !batch.hostSamples.isEmpty {
            for sample in batch.hostSamples {
                try await connection.query("""
                    INSERT INTO host_samples (agent_id, time, sample_json)
                    VALUES (\(batch.agentID), \(sample.time.unixNanos), \(try HostSampleCoding.encode(sample)))
                    """)
            }
            try await appendLog(IngestLog.encode(batch.hostSamples.flatMap { $0.seriesPoints(host: hostname) }), connection)
        }
        if !batch.events.isEmpty {
            try await insert(events: batch.events, keepingIDs: false, connection)
        }
        if !batch.reachability.isEmpty {
            try await insert(reachability: batch.reachability, agentID: batch.agentID, connection)
        }
        if !batch.crawlSamples.isEmpty,
           let uuid = try await connection.query("SELECT instance_uuid FROM agents WHERE id = \(batch.agentID)")
            .firstRow({ row in try row["instance_uuid", as: String?.self] }).flatMap({ $0 }).flatMap(UUID.init(uuidString:)) {
            // As on SQLite: an agent's crawls are filed under the instance it
            // registered beside, whatever uuid they name.
            for var sample in batch.crawlSamples {
                sample.instanceUUID = uuid
                try await record(sample, connection)
            }
        }
    }

    /// One log row for a write's encoded series: the same bytes as SQLite's.
    func appendLog(_ series: [EncodedSeries], _ connection: PostgresConnection) async throws {
        guard !series.isEmpty else { return }
        let ids = try await seriesIDs(for: series.map { SeriesKey(namespace: $0.namespace, name: $0.name, labels: $0.labels) }, connection)
        let sections = zip(ids, series).map { (seriesID: $0, chunk: $1.bytes) }
        let count = series.reduce(0) { $0 + $1.count }
        try await connection.query("""
            INSERT INTO ingest_log (kind, count, data)
            VALUES (\(Int16(IngestLog.Kind.points.rawValue)), \(Int32(count)), \(ByteBuffer(bytes: IngestLogRow.encode(sections))))
            """)
    }

    /// String fields as rows, beside the log row of the same request (as
    /// on SQLite, `StringPoints`).
    func insert(strings points: [StringPoint], _ connection: PostgresConnection) async throws {
        guard !points.isEmpty else { return }
        let ids = try await seriesIDs(for: points.map { SeriesKey(namespace: $0.namespace, name: $0.name, labels: $0.labels) }, connection)
        try await ensurePartitions("string_points", covering: points.map(\.nanos), connection)
        try await connection.query("""
            INSERT INTO string_points (series_id, time, value)
            SELECT series_id, time, value FROM unnest(\(ids)::BIGINT[], \(points.map(\.nanos))::BIGINT[], \(points.map(\.value))::TEXT[]) WITH ORDINALITY AS s(series_id, time, value, position)
            ORDER BY position
            """)
    }

    /// The keys' series ids, in their order. New series are made in key
    /// order: two collectors making the same ones in other orders would
    /// each hold a key the other waits for.
    func seriesIDs(for keys: [SeriesKey], _ connection: PostgresConnection) async throws -> [Int64] {
        for key in Set(keys.filter { catalog.cachedID(of: $0) == nil })
            .sorted(by: { ($0.namespace, $0.name, $0.tags) < ($1.namespace, $1.name, $1.tags) }) {
            _ = try await seriesID(for: key, connection)
        }
        var ids: [Int64] = []
        ids.reserveCapacity(keys.count)
        for key in keys { ids.append(try await seriesID(for: key, connection)) }
        return ids
    }

    /// The series' id, made when new. `DO UPDATE` (of nothing) rather than
    /// `DO NOTHING`: it returns the id of a row another collector committed
    /// meanwhile too.
    func seriesID(for key: SeriesKey, _ connection: PostgresConnection) async throws -> Int64 {
        if let id = catalog.cachedID(of: key) { return id }
        let labels = key.labels
        guard let id = try await connection.query("""
            INSERT INTO series (namespace, name, tags, measurement, field, field_type)
            VALUES (\(key.namespace), \(key.name), \(key.tags), \(labels?.measurement), \(labels?.field), \(labels?.type.rawValue))
            ON CONFLICT (namespace, name, tags) DO UPDATE SET namespace = excluded.namespace
            RETURNING id
            """).firstRow({ row in try row["id", as: Int64.self] })
        else { throw StoreError.unavailable("series row vanished") }
        catalog.remember(id, for: key)
        return id
    }

    public func prepare(_ writes: [IngestWrite]) -> [IngestWrite] {
        IngestLog.prepare(writes)
    }

    public func hostSamples(agentID: String, limit: Int) async throws -> [HostSample] {
        try await query("""
            SELECT sample_json FROM host_samples WHERE agent_id = \(agentID) ORDER BY time DESC LIMIT \(Int64(limit))
            """).all { row in try row["sample_json", as: String.self] }.compactMap(HostSampleCoding.decode)
    }

    /// Points acknowledged and waiting in the log.
    public func ingestBacklog() async throws -> Int {
        Int(try await query("SELECT COALESCE(SUM(count), 0)::BIGINT AS backlog FROM ingest_log").firstRow { row in
            try row["backlog", as: Int64.self]
        } ?? 0)
    }
}

extension PostgresStore: IngestStore {}
