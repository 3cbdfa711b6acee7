@testable import CollectorStore
import Foundation
import GRDB
import Testing

/// The SQLite settings the store's promises rest on, read from the
/// connection that commits.
@Suite("Durability settings")
struct DurabilityTests {
    /// GRDB turns a WAL pool's writer to synchronous=NORMAL, which syncs
    /// only at checkpoints: an acknowledged batch could be lost to a power
    /// cut. The store sets it back to FULL, so every commit is synced.
    @Test func theWriterSyncsEveryCommit() async throws {
        let directory = try TemporaryDirectory("durability")
        let store = try SQLiteStore(dataDirectory: directory.path)
        let synchronous = try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 2)  // FULL
        let journal = try await store.pool.write { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }

    /// A new database gives the pages the compacted ingest log frees back
    /// to the file system.
    @Test func aNewDatabaseReclaimsFreedPages() async throws {
        let directory = try TemporaryDirectory("auto-vacuum")
        let store = try SQLiteStore(dataDirectory: directory.path)
        let mode = try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") }
        #expect(mode == 2)  // INCREMENTAL
    }
}
