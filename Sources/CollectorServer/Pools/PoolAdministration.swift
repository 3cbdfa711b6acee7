import CollectorModel
import CollectorStore
import Foundation
import GRPCCore
import Logging

/// Creating, changing and deleting pools and their computers: validation,
/// address ranges expanded, a pool's agent required to exist, and the
/// agents concerned told at once. The Admin RPCs and the console's forms
/// both come here. Failures are `RPCError`s with the status the RPCs answer.
struct PoolAdministration: Sendable {
    /// Largest range one `computers add` entry may expand to.
    static let maxRange = ComputerAddresses.defaultMaxRange
    /// How many known agents a refusal names; `collectorctl agents list` has the rest.
    static let agentsNamed = 10

    let store: any Store
    let poolWatchers: PoolAssignmentWatchers
    let logger: Logger

    func create(_ pool: Pool, allowUnregisteredAgent: Bool) async throws -> Pool {
        var pool = pool
        pool.id = 0
        do {
            pool.computers = try ComputerAddresses.expand(pool.computers, maxRange: Self.maxRange)
            pool = try pool.validated()
        } catch {
            throw RPCError(error)
        }
        try await requireRegisteredAgent(pool.agentID, unless: allowUnregisteredAgent)
        let created = try await storeCall { try await store.createPool(pool) }
        poolWatchers.changed(agentIDs: [created.agentID])
        logger.info("pool created", metadata: ["pool": "\(created.name)", "agent": "\(created.agentID)", "computers": "\(created.computers.count)"])
        return created
    }

    func update(name: String, _ change: PoolChange, allowUnregisteredAgent: Bool) async throws -> Pool {
        if let agentID = change.agentID { try await requireRegisteredAgent(agentID, unless: allowUnregisteredAgent) }
        let before = try await storeCall { try await store.pool(name: name) }
        guard let pool = try await storeCall({ try await store.updatePool(name: name, change) }) else {
            throw RPCError(code: .notFound, message: "no pool named '\(name)'")
        }
        // The agent that swept it stops; the one that sweeps it now starts.
        poolWatchers.changed(agentIDs: [before?.agentID, pool.agentID].compactMap { $0 })
        return pool
    }

    func delete(name: String) async throws {
        let before = try await storeCall { try await store.pool(name: name) }
        guard try await storeCall({ try await store.deletePool(name: name) }) else {
            throw RPCError(code: .notFound, message: "no pool named '\(name)'")
        }
        poolWatchers.changed(agentIDs: [before?.agentID].compactMap { $0 })
        logger.info("pool deleted", metadata: ["pool": "\(name)"])
    }

    func addComputers(pool name: String, _ entries: [String]) async throws -> Pool {
        let addresses = try expanded(entries)
        guard let pool = try await storeCall({ try await store.addComputers(pool: name, addresses) }) else {
            throw RPCError(code: .notFound, message: "no pool named '\(name)'")
        }
        poolWatchers.changed(agentIDs: [pool.agentID])
        return pool
    }

    func removeComputers(pool name: String, _ entries: [String]) async throws -> Pool {
        let addresses = try expanded(entries)
        guard let pool = try await storeCall({ try await store.removeComputers(pool: name, addresses) }) else {
            throw RPCError(code: .notFound, message: "no pool named '\(name)'")
        }
        poolWatchers.changed(agentIDs: [pool.agentID])
        return pool
    }

    private func expanded(_ entries: [String]) throws -> [String] {
        guard !entries.isEmpty else { throw RPCError(code: .invalidArgument, message: "addresses: at least one is required") }
        do {
            return try ComputerAddresses.expand(entries, maxRange: Self.maxRange)
        } catch {
            throw RPCError(error)
        }
    }

    /// A pool given to an agent id that never registered is never swept,
    /// silently: refuse it, naming the agents that exist, unless the
    /// operator says the agent will register later.
    func requireRegisteredAgent(_ agentID: String, unless allowed: Bool) async throws {
        guard !allowed, try await storeCall({ try await store.agent(id: agentID) }) == nil else { return }
        let known = try await storeCall { try await store.agents(site: nil) }
        let names = known.prefix(Self.agentsNamed).map { "\($0.id) (\($0.hostname), site \($0.site))" }
        let more = known.count > Self.agentsNamed ? " and \(known.count - Self.agentsNamed) more" : ""
        let choices = known.isEmpty ? "no agent has registered yet" : "known agents: " + names.joined(separator: ", ") + more
        throw RPCError(code: .failedPrecondition, message: """
            agent_id: no agent '\(agentID)' has registered; \(choices). \
            Use an id from `collectorctl agents list`, or --allow-unregistered-agent for an agent that registers later
            """)
    }
}
