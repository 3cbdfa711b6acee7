import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    public func points(namespace: String, name: String, from: Date, to: Date) async throws -> [SeriesPoint] {
        try await pool.read { db in
            try self.series.points(of: SeriesKey(namespace: namespace, name: name), from: from.unixNanos, to: to.unixNanos, db: db)
                .map { SeriesPoint(namespace: namespace, name: name, time: Date(unixNanos: $0.time), value: $0.value) }
        }
    }

    public func aggregate(_ query: AggregationQuery) async throws -> [AggregateBucket] {
        try await pool.read { db in try self.series.aggregate(query, now: Date(), db: db) }
    }

    public func expire(_ cutoffs: Retention.Cutoffs, chunk: Int) async throws -> Int {
        var removed = 0
        // Small transactions, so ingest never waits long behind expiry.
        while true {
            let count = try await write { db in try self.series.expire(cutoffs, limit: chunk, db: db) }
            removed += count
            if count == 0 { return removed }
        }
    }

    public func compact(budget: Int, holding hold: Duration) async throws -> CompactionRound {
        try await write { db in
            let round = try self.series.compactRound(budget: budget, now: Date(), db: db)
            if round.logRows > 0 && hold > .zero { usleep(UInt32(hold.seconds * 1e6)) }
            return round
        }
    }

    public func ingestBacklog() async throws -> Int {
        try await pool.read { db in try IngestLog.backlog(db: db) }
    }

    public func upgradeStep() async throws -> Bool {
        guard series.legacyRowsRemain else { return false }
        return try await write { db in try self.series.upgradeStep(db: db) }
    }
}
