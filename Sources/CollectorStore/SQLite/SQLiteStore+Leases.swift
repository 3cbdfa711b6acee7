import Foundation

extension SQLiteStore {
    /// One collector holds a SQLite file (the data directory is locked), so
    /// every lease is its own.
    public func acquireLease(_ name: String, holder: String, for duration: Duration) async throws -> Bool { true }

    public func releaseLease(_ name: String, holder: String) async throws {}

    public var leaseHolder: String { "local" }

    public func heldLeases() async throws -> [String: String] { [:] }
}
