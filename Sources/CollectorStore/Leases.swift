import Foundation

/// Background work that must run on one collector at a time (crawl
/// scheduling, compaction, retention): each unit of it is a named lease,
/// held for a while and renewed by the collector doing the work. When that
/// collector dies, its lease runs out and another takes it.
public protocol LeaseStore: Sendable {
    /// Takes the lease, or renews it for its holder, until `duration` from
    /// now by the store's clock; false while another holder has it.
    func acquireLease(_ name: String, holder: String, for duration: Duration) async throws -> Bool
    /// Gives the lease up early (a collector stopping cleanly), so another
    /// need not wait for it to run out. Another holder's lease is left alone.
    func releaseLease(_ name: String, holder: String) async throws
    /// The name this process's own leases go by.
    var leaseHolder: String { get }
    /// The leases held now (by anyone), by name: their holders.
    func heldLeases() async throws -> [String: String]
}

/// A store reached through a pool of connections (PostgreSQL): how it is
/// used, for `/metrics`. A pool that is always full, with requests
/// waiting, wants more connections or a faster database.
public protocol ConnectionPoolReporting: Sendable {
    var connectionsInUse: Int { get }
    var requestsWaitingForConnection: Int { get }
    var maximumConnections: Int { get }
}
