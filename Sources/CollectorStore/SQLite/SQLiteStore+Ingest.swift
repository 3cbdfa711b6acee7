import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    public func commit(_ writes: [IngestWrite], at time: Date) async throws -> [BatchOutcome] {
        guard !writes.isEmpty else { return [] }
        try requireFreeSpace()
        let now = time.unixNanos
        // On the caller's thread: the group committer calls from a thread of
        // its own, which has nothing else to do meanwhile, and a hop to
        // GRDB's writer queue and back would be two thread switches a commit.
        return try writeHere { db in
            var outcomes: [BatchOutcome] = []
            outcomes.reserveCapacity(writes.count)
            var marks: [String: HighWaterMark] = [:]
            for write in writes {
                switch write {
                case .events(let events, let keepingIDs):
                    try self.insert(events: events, agentID: nil, keepingIDs: keepingIDs, db: db)
                    outcomes.append(.stored)
                case .crawls(let samples):
                    for sample in samples { try self.record(sample, db: db) }
                    outcomes.append(.stored)
                case .points(let points):
                    try self.insert(points: points, db: db)
                    outcomes.append(.stored)
                case .encodedPoints(let series):
                    try IngestLog.append(encoded: series, engine: self.series, db: db)
                    outcomes.append(.stored)
                case .strings(let points):
                    try self.series.insert(strings: points, db: db)
                    outcomes.append(.stored)
                case .batch(let batch):
                    var mark: HighWaterMark
                    if let known = marks[batch.agentID] {
                        mark = known
                    } else if let row = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT high_water_mark, dropped_batches FROM agents WHERE id = ?"),
                        arguments: [batch.agentID]) {
                        mark = HighWaterMark(high: UInt64(row[0] as Int64), dropped: UInt64(row[1] as Int64))
                    } else {
                        throw StoreError.unknownAgent(batch.agentID)
                    }
                    let outcome = mark.admit(batch)
                    if outcome == .stored {
                        try self.insertContents(of: batch, db: db)
                        marks[batch.agentID] = mark
                    }
                    outcomes.append(outcome)
                }
            }
            // Cached: a commit per batch is the common case under load, and
            // parsing these two statements each time was 3 % of the CPU.
            let update = try db.cachedStatement(sql: "UPDATE agents SET high_water_mark = ?, dropped_batches = ?, last_seen = ? WHERE id = ?")
            for (agentID, mark) in marks {
                try update.execute(arguments: [Int64(mark.high), Int64(mark.dropped), now, agentID])
            }
            return outcomes
        }
    }

    /// Encodes points on the caller's task (`IngestLog.prepare`).
    public func prepare(_ writes: [IngestWrite]) -> [IngestWrite] {
        IngestLog.prepare(writes)
    }

    private func insertContents(of batch: IngestBatch, db: Database) throws {
        try IngestLog.append(encoded: batch.encoded, engine: series, db: db)
        if !batch.points.isEmpty {
            try insert(points: batch.points, db: db)
        }
        if !batch.hostSamples.isEmpty {
            let statement = try db.cachedStatement(sql: "INSERT INTO host_samples (agent_id, time, sample_json) VALUES (?, ?, ?)")
            for sample in batch.hostSamples {
                try statement.execute(arguments: [batch.agentID, sample.time.unixNanos, try HostSampleCoding.encode(sample)])
            }
            let hostname = try String.fetchOne(db, sql: "SELECT hostname FROM agents WHERE id = ?", arguments: [batch.agentID]) ?? batch.agentID
            try insert(points: batch.hostSamples.flatMap { $0.seriesPoints(host: hostname) }, db: db)
        }
        if !batch.events.isEmpty {
            try insert(events: batch.events, agentID: batch.agentID, keepingIDs: false, db: db)
        }
        if !batch.reachability.isEmpty {
            try insert(reachability: batch.reachability, agentID: batch.agentID, db: db)
        }
        if !batch.crawlSamples.isEmpty,
           let uuid = try String.fetchOne(db, sql: "SELECT instance_uuid FROM agents WHERE id = ?", arguments: [batch.agentID])
            .flatMap(UUID.init(uuidString:)) {
            // An agent crawls only the instance it registered beside: the
            // sample is filed there whatever uuid it names, so one site's
            // agent cannot write another's instance. An agent without an
            // instance has nothing to file crawls under.
            for var sample in batch.crawlSamples {
                sample.instanceUUID = uuid
                try record(sample, db: db)
            }
        }
    }

    /// Every series write goes to the ingest log, in this transaction.
    func insert(points: [SeriesPoint], db: Database) throws {
        try IngestLog.append(points, engine: series, db: db)
    }

    public func hostSamples(agentID: String, limit: Int) async throws -> [HostSample] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT sample_json FROM host_samples WHERE agent_id = ? ORDER BY time DESC LIMIT ?",
                                arguments: [agentID, limit]).compactMap(HostSampleCoding.decode)
        }
    }
}
