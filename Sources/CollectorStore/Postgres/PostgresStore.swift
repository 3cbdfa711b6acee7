import CollectorModel
import Foundation
import Logging
import PostgresNIO
import _ConnectionPoolModule
import Synchronization

/// The shared backend: one PostgreSQL database that any number of
/// collectors use at once, through postgres-nio's pooled client. Each
/// collector keeps no state another needs; what must happen once (a batch
/// stored, a migration applied) is decided by PostgreSQL's locks.
///
/// The store runs while `run()` does: the collector runs it in its service
/// group, tests in a task of their own.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    public let location: PostgresLocation
    /// Writing, compacting, reading and retaining series: the same engine
    /// as on SQLite, over PostgreSQL's tables.
    let series: SeriesEngine
    /// Series ids, cached as on SQLite: an id never changes once committed.
    var catalog: SeriesCatalog { series.catalog }
    /// This collector's series maintenance, one job at a time; across
    /// collectors, the lease decides which one runs it.
    let maintenance = SerialJobs()
    /// This store's name in leases: unique per process.
    let holder: String
    let blocks = DocumentBlockCache()
    let partitions = PartitionCatalog()
    let usage = ConnectionUsage()
    public let maximumConnections: Int
    /// How long a request waits for a connection before it is refused.
    let connectionWait: Duration

    /// - Parameters:
    ///   - password: read by the caller (`PostgresPassword.read`), never from the URL.
    ///   - maximumConnections: the pool's bound; PostgreSQL's own
    ///     `max_connections` is shared by every collector.
    ///   - connectionWait: how long a request waits for a connection.
    ///   - holder: the name this collector's leases go by (a unique one by default).
    public init(location: PostgresLocation, password: String?, retention: Retention = .forever, maximumConnections: Int = 8,
                connectionWait: Duration = .seconds(5), holder: String = UUID().uuidString, logger: Logger) {
        self.location = location
        series = SeriesEngine(retention: retention)
        self.holder = holder
        self.maximumConnections = maximumConnections
        self.connectionWait = connectionWait
        self.logger = logger
        client = PostgresClient(configuration: location.clientConfiguration(password: password, maximumConnections: maximumConnections),
                                backgroundLogger: logger)
    }

    /// Runs the connection pool until the task is cancelled.
    public func run() async {
        await client.run()
    }

    /// How many migrations this build knows (the schema's version).
    public static var schemaVersion: Int { PostgresMigrations.migrations.count }

    /// Brings the schema up to date; every collector calls it at start.
    public func migrate() async throws {
        try await transaction { connection in try await PostgresMigrations.migrate(connection) }
    }

    /// Writable means a write commits now (readiness).
    public func isWritable() async -> Bool {
        do {
            try await query("""
                INSERT INTO readiness_probe (id, checked) VALUES (1, \(Date().unixNanos))
                ON CONFLICT (id) DO UPDATE SET checked = excluded.checked
                """)
            return true
        } catch {
            return false
        }
    }

    /// Runs `body` in a transaction and commits it; an error inside rolls it
    /// back and is rethrown as the store's own (`StoreError` where there is
    /// one), not wrapped in postgres-nio's transaction error.
    ///
    /// A transaction PostgreSQL aborts to break a deadlock (two collectors
    /// making the same new series in other orders) or a serialization
    /// failure is run again: it was rolled back whole, so nothing of it
    /// stays, and the retry finds what the other committed.
    func transaction<T: Sendable>(_ body: @Sendable @escaping (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnectionDeadline { started in
                    try await self.client.withTransaction(logger: self.logger) { connection in
                        started()
                        return try await body(connection)
                    }
                }
            } catch {
                catalog.forget()
                partitions.forget()
                if attempt < Self.transactionAttempts, Self.isTransient(error) {
                    // Apart, so the two do not meet again in step.
                    try await Task.sleep(for: .milliseconds(Int.random(in: 5...50) * attempt))
                    attempt += 1
                    continue
                }
                throw Self.storeError(error)
            }
        }
    }

    static let transactionAttempts = 5

    /// Deadlock detected (40P01) or could not serialize (40001).
    static func isTransient(_ error: any Error) -> Bool {
        let error = (error as? PostgresTransactionError).flatMap { $0.closureError ?? $0.commitError } ?? error
        guard let error = error as? PSQLError, error.code == .server else { return false }
        return ["40P01", "40001"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    /// One statement outside a transaction (reads, single writes), its rows
    /// read before the connection goes back to the pool.
    @discardableResult
    func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do {
            return try await withConnectionDeadline { started in
                try await self.client.withConnection { connection in
                    started()
                    return try await connection.query(query).collect()
                }
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Runs `body` in a read-only transaction that sees one snapshot
    /// throughout (repeatable read): reads that span the log and what
    /// compaction made of it see it whole on one side of a round.
    func snapshot<T: Sendable>(_ body: @Sendable @escaping (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await withConnectionDeadline { started in
                try await self.client.withConnection { connection in
                    started()
                    try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    do {
                        let result = try await body(connection)
                        try await connection.query("COMMIT")
                        return result
                    } catch {
                        _ = try? await connection.query("ROLLBACK")
                        throw error
                    }
                }
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// The pool waits for a connection as long as PostgreSQL keeps refusing
    /// (a minute before its circuit breaker trips): a request that has no
    /// connection after `connectionWait` fails as unavailable instead, so
    /// agents get `UNAVAILABLE` and keep spooling. Only the wait is
    /// bounded; a transaction that has begun runs to its end.
    private func withConnectionDeadline<T: Sendable>(
        _ body: @Sendable @escaping (_ started: @Sendable () -> Void) async throws -> T
    ) async throws -> T {
        let started = Flag()
        usage.waiting.add(1, ordering: .relaxed)
        // The group has ended every child by then, so `started` is final.
        defer {
            if started.isRaised { usage.inUse.subtract(1, ordering: .relaxed) } else { usage.waiting.subtract(1, ordering: .relaxed) }
        }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { [usage] in
                try await body {
                    started.raise()
                    usage.waiting.subtract(1, ordering: .relaxed)
                    usage.inUse.add(1, ordering: .relaxed)
                }
            }
            group.addTask { [connectionWait, location] in
                try await Task.sleep(for: connectionWait)
                if started.isRaised { return nil }
                throw StoreError.unavailable("no connection to PostgreSQL at \(location.host):\(location.port) within \(connectionWait)")
            }
            while let result = try await group.next() {
                if let result {
                    group.cancelAll()
                    return result
                }
            }
            throw CancellationError()
        }
    }

    /// PostgreSQL's answers in the store's terms: a full disk is `full` (the
    /// agents keep spooling and resend), a server that cannot be reached or
    /// that stops is `unavailable`; other errors stay as they are.
    static func storeError(_ error: any Error) -> any Error {
        if let error = error as? PostgresTransactionError {
            return storeError(error.closureError ?? error.beginError ?? error.commitError ?? error)
        }
        if error is ConnectionPoolError { return StoreError.unavailable("PostgreSQL: \(error)") }
        guard let error = error as? PSQLError else { return error }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            // 53100 disk_full, 53xxx insufficient resources, 57P0x the
            // server shutting down or restarting.
            if state == "53100" { return StoreError.full }
            if state.hasPrefix("53") || state.hasPrefix("57P") || state.hasPrefix("08") {
                return StoreError.unavailable("PostgreSQL: \(error.serverInfo?[.message] ?? state)")
            }
            return error
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown,
             .sslUnsupported, .failedToAddSSLHandler:
            return StoreError.unavailable("PostgreSQL at \(error.code): \(String(describing: error.underlying ?? error))")
        default:
            return error
        }
    }
}

/// Requests holding a connection, and waiting for one, for `/metrics`.
final class ConnectionUsage: Sendable {
    let inUse = Atomic<Int>(0)
    let waiting = Atomic<Int>(0)
}

extension PostgresStore: ConnectionPoolReporting {
    public var connectionsInUse: Int { usage.inUse.load(ordering: .relaxed) }
    public var requestsWaitingForConnection: Int { usage.waiting.load(ordering: .relaxed) }
}

/// Raised once, read from another task.
private final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)
    var isRaised: Bool { raised.load(ordering: .acquiring) }
    func raise() { raised.store(true, ordering: .releasing) }
}

extension PostgresStore: Store {
    /// PostgreSQL is backed up by its own tools, which every operator of it
    /// already runs: `pg_dump`, or `pg_basebackup` with WAL archiving for
    /// a point in time.
    public func backup(to path: String) async throws {
        throw StoreError.unavailable("a PostgreSQL store is backed up with PostgreSQL's tools (pg_dump, pg_basebackup), not by the collector")
    }
}
