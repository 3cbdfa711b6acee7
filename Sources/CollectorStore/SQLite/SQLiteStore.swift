import CollectorModel
import Foundation
import GRDB
import Synchronization

/// The embedded backend: one SQLite file in the data directory, in WAL mode
/// with `synchronous=FULL`, so a committed transaction survives power loss
/// before its batch is acknowledged.
public final class SQLiteStore: Store {
    let pool: DatabasePool
    /// Series: the ingest log, chunks, rollups, documents.
    let series: SeriesEngine
    /// Compaction, retention and the upgrade change chunks one at a time.
    let maintenance = SerialJobs()
    /// A connection of its own for checkpoints, so they never hold the writer.
    let checkpointer: DatabaseQueue
    static let backstopCheckpointPages = 16384
    /// A write-ahead log larger than this is truncated once the collector
    /// is idle (`reclaimSpace`).
    static let idleWALBytes = 1 << 20

    public let path: String

    /// Ingest is refused while the disk holding the database has less free.
    public let minimumFreeBytes: Int64
    /// A point older than the raw retention goes only into the rollup
    /// levels that keep its time.
    public let retention: Retention

    public init(path: String, minimumFreeBytes: Int64 = 0, retention: Retention = .forever) throws {
        self.path = path
        self.minimumFreeBytes = minimumFreeBytes
        self.retention = retention
        series = SeriesEngine(retention: retention)
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // The ingest log churns: pages its compacted rows free go back to
            // the file system (`reclaimSpace`). Only a new file takes it, and
            // only before it is switched to WAL; older files keep reusing
            // their free pages instead.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            }
            // Writes append (the ingest log) and compaction touches each
            // day and hour once a round: 16 MiB a connection is plenty, and
            // a pool holds several connections.
            try db.execute(sql: "PRAGMA cache_size = -16384")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB turns a pool's writer to synchronous=NORMAL when it switches
        // to WAL, after `prepareDatabase`: a commit would then reach the disk
        // only at the next checkpoint. Every commit is synced before its ack.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Checkpoints run beside the writer (`checkpoint()`), not inside
            // a commit that would then wait for them; this is the backstop.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.backstopCheckpointPages)")
            try db.execute(sql: "PRAGMA journal_size_limit = \(Self.backstopCheckpointPages * 4096)")
        }
        var checkpointing = Configuration()
        checkpointing.busyMode = .timeout(5)
        checkpointer = try DatabaseQueue(path: path, configuration: checkpointing)
        try SQLiteMigrations.migrator.migrate(pool)
        let series = series
        series.legacyRows.store(try pool.read { db in try series.rowsRemain(db: db) }, ordering: .relaxed)
        // The database holds token hashes and contact details: owner only.
        chmod(path, 0o600)
    }

    /// Opens `collector.sqlite` in the data directory.
    public convenience init(dataDirectory: String, minimumFreeBytes: Int64 = 0, retention: Retention = .forever) throws {
        try self.init(path: (dataDirectory as NSString).appendingPathComponent("collector.sqlite"), minimumFreeBytes: minimumFreeBytes,
                      retention: retention)
    }

    /// Writable means a write to the database file commits and the disk
    /// has more than `minimumFreeBytes` free.
    public func isWritable() async -> Bool {
        guard (try? requireFreeSpace()) != nil else { return false }
        do {
            try await pool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO readiness_probe (id, checked) VALUES (1, ?)", arguments: [Date().unixNanos])
            }
            return true
        } catch {
            return false
        }
    }

    /// Ingest stops while the disk is below the floor, before SQLite runs
    /// out mid-transaction and before the host's other services do; agents
    /// keep their batches and resend them once space returns.
    func requireFreeSpace() throws {
        guard minimumFreeBytes > 0, let available = DiskSpace.available(at: path), available < minimumFreeBytes else { return }
        throw StoreError.lowOnSpace(available: available, minimum: minimumFreeBytes)
    }

    /// SQLite's backup API from a reader's snapshot: writers go on, and the
    /// copy holds exactly the transactions committed when it began.
    public func backup(to path: String) async throws {
        let destination = try DatabaseQueue(path: path)
        try await pool.read { source in
            try destination.writeWithoutTransaction { target in try source.backup(to: target) }
        }
        try destination.close()
        chmod(path, 0o600)
    }

    /// Checks that a file is a sound Collector database: SQLite's
    /// `integrity_check` passes and the schema is one this build knows.
    public static func verify(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        try queue.read { db in
            let result = try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? ""
            guard result == "ok" else { throw StoreError.unavailable("integrity check failed: \(result)") }
            guard try db.tableExists("grdb_migrations"), try db.tableExists("agents") else {
                throw StoreError.unavailable("not a Collector database")
            }
            let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            let known = Set(SQLiteMigrations.migrator.migrations)
            guard applied.isSubset(of: known) else {
                throw StoreError.unavailable("written by a newer Collector (migrations \(applied.subtracting(known).sorted()))")
            }
        }
    }

    /// Runs a write transaction; on failure the series cache is dropped
    /// because ids inserted inside the failed transaction no longer exist.
    func write<T: Sendable>(_ updates: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(updates)
        } catch {
            throw failedWrite(error)
        }
    }

    /// The same, blocking the calling thread until the transaction commits.
    /// The group committer runs one of these per batch under load, so its
    /// `BEGIN` and `COMMIT` are cached statements: GRDB's own transaction
    /// parses both again each time (2 % of the collector's CPU at 1,000
    /// commits a second).
    func writeHere<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
                do {
                    let result = try updates(db)
                    try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                    return result
                } catch {
                    // SQLite may have rolled back already (a full disk does).
                    if db.isInsideTransaction { try? db.rollback() }
                    throw error
                }
            }
        } catch {
            throw failedWrite(error)
        }
    }

    private func failedWrite(_ error: any Error) -> any Error {
        series.catalog.forget()
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL { return StoreError.full }
        return error
    }
}

extension Date {
    /// Nanoseconds since the epoch, the store's time column unit (the
    /// model's clamped conversion: `distantPast` and `distantFuture` work
    /// as open bounds).
    var unixNanos: Int64 { clampedNanos }

    init(unixNanos: Int64) { self.init(nanos: unixNanos) }
}
