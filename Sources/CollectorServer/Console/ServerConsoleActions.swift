import CollectorConsole
import CollectorModel
import CollectorStore
import Foundation
import GRPCCore

/// The console's admin actions, done by the same crawler and pool
/// administration the Admin RPCs use; their refusals are shown on the page.
struct ServerConsoleActions: ConsoleActions {
    let crawling: InstanceCrawling
    let pools: PoolAdministration

    func crawlNow(uuid: UUID) async throws {
        try await shown { _ = try await crawling.crawl(uuid: uuid, dueOnly: false) { _ in } }
    }

    func createPool(_ pool: Pool, allowUnregisteredAgent: Bool) async throws -> Pool {
        try await shown { try await pools.create(pool, allowUnregisteredAgent: allowUnregisteredAgent) }
    }

    func updatePool(name: String, _ change: PoolChange) async throws -> Pool {
        try await shown { try await pools.update(name: name, change, allowUnregisteredAgent: false) }
    }

    func deletePool(name: String) async throws {
        try await shown { try await pools.delete(name: name) }
    }

    func addComputers(pool: String, _ entries: [String]) async throws -> Pool {
        try await shown { try await pools.addComputers(pool: pool, entries) }
    }

    func removeComputers(pool: String, _ entries: [String]) async throws -> Pool {
        try await shown { try await pools.removeComputers(pool: pool, entries) }
    }

    /// An RPC status becomes a message for the page.
    private func shown<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RPCError {
            throw ConsoleActionError(error.message)
        }
    }
}
