import CollectorModel
import CollectorProto
import CollectorStore
import CollectorWire
import Foundation
import GRPCCore

extension AdminService {
    /// Largest range one `computers add` entry may expand to.
    static let maxRange = ComputerAddresses.defaultMaxRange

    public func createPool(request: Collector_V1_CreatePoolRequest, context: ServerContext) async throws -> Collector_V1_Pool {
        var pool = Pool(wire: request.pool)
        pool.id = 0
        if request.pool.intervalMs == 0 { pool.interval = .seconds(300) }
        do {
            pool.computers = try ComputerAddresses.expand(pool.computers, maxRange: Self.maxRange)
            pool = try pool.validated()
        } catch {
            throw RPCError(error)
        }
        try await requireRegisteredAgent(pool.agentID, unless: request.allowUnregisteredAgent)
        let created = try await storeCall { try await store.createPool(pool) }
        poolWatchers.changed(agentIDs: [created.agentID])
        logger.info("pool created", metadata: ["pool": "\(created.name)", "agent": "\(created.agentID)", "computers": "\(created.computers.count)"])
        return Collector_V1_Pool(created)
    }

    public func updatePool(request: Collector_V1_UpdatePoolRequest, context: ServerContext) async throws -> Collector_V1_Pool {
        var change = PoolChange(metadata: request.metadata)
        if request.hasNewName { change.newName = request.newName }
        if request.hasRoom { change.room = request.room }
        if request.hasWatts { change.watts = request.watts }
        if request.hasStandbyWatts { change.standbyWatts = request.standbyWatts }
        if request.hasAgentID { change.agentID = request.agentID }
        if request.hasIntervalMs { change.interval = .milliseconds(Int64(clamping: request.intervalMs)) }
        if let agentID = change.agentID { try await requireRegisteredAgent(agentID, unless: request.allowUnregisteredAgent) }
        let before = try await storeCall { try await store.pool(name: request.name) }
        guard let pool = try await storeCall({ try await store.updatePool(name: request.name, change) }) else {
            throw RPCError(code: .notFound, message: "no pool named '\(request.name)'")
        }
        // The agent that swept it stops; the one that sweeps it now starts.
        poolWatchers.changed(agentIDs: [before?.agentID, pool.agentID].compactMap { $0 })
        return Collector_V1_Pool(pool)
    }

    public func deletePool(request: Collector_V1_DeletePoolRequest, context: ServerContext) async throws -> Collector_V1_DeletePoolResponse {
        let before = try await storeCall { try await store.pool(name: request.name) }
        guard try await storeCall({ try await store.deletePool(name: request.name) }) else {
            throw RPCError(code: .notFound, message: "no pool named '\(request.name)'")
        }
        poolWatchers.changed(agentIDs: [before?.agentID].compactMap { $0 })
        logger.info("pool deleted", metadata: ["pool": "\(request.name)"])
        return Collector_V1_DeletePoolResponse()
    }

    public func addComputers(request: Collector_V1_ComputersRequest, context: ServerContext) async throws -> Collector_V1_Pool {
        let addresses = try expanded(request.addresses)
        guard let pool = try await storeCall({ try await store.addComputers(pool: request.pool, addresses) }) else {
            throw RPCError(code: .notFound, message: "no pool named '\(request.pool)'")
        }
        poolWatchers.changed(agentIDs: [pool.agentID])
        return Collector_V1_Pool(pool)
    }

    public func removeComputers(request: Collector_V1_ComputersRequest, context: ServerContext) async throws -> Collector_V1_Pool {
        let addresses = try expanded(request.addresses)
        guard let pool = try await storeCall({ try await store.removeComputers(pool: request.pool, addresses) }) else {
            throw RPCError(code: .notFound, message: "no pool named '\(request.pool)'")
        }
        poolWatchers.changed(agentIDs: [pool.agentID])
        return Collector_V1_Pool(pool)
    }

    private func expanded(_ entries: [String]) throws -> [String] {
        guard !entries.isEmpty else { throw RPCError(code: .invalidArgument, message: "addresses: at least one is required") }
        do {
            return try ComputerAddresses.expand(entries, maxRange: Self.maxRange)
        } catch {
            throw RPCError(error)
        }
    }

    public func exportPools(request: Collector_V1_ExportPoolsRequest, context: ServerContext) async throws -> Collector_V1_ExportPoolsResponse {
        let pools = try await storeCall { try await store.pools() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var response = Collector_V1_ExportPoolsResponse()
        response.json = String(decoding: try encoder.encode(PoolBackup(pools: pools)), as: UTF8.self)
        return response
    }

    /// All pools are checked before any is stored: a bad backup changes nothing.
    public func importPools(request: Collector_V1_ImportPoolsRequest, context: ServerContext) async throws -> Collector_V1_ImportPoolsResponse {
        let backup: PoolBackup
        do {
            backup = try JSONDecoder().decode(PoolBackup.self, from: Data(request.json.utf8))
        } catch {
            throw RPCError(code: .invalidArgument, message: "json: not a pool backup: \(error)")
        }
        var pools: [Pool] = []
        for (index, pool) in backup.pools.enumerated() {
            do {
                var checked = try pool.validated()
                checked.computers = try ComputerAddresses.expand(pool.computers, maxRange: Self.maxRange)
                pools.append(checked)
            } catch {
                throw RPCError(code: .invalidArgument, message: "pools[\(index)].\(error.description)")
            }
        }
        let existing = Set(try await storeCall { try await store.pools() }.map(\.name))
        var response = Collector_V1_ImportPoolsResponse()
        for pool in pools {
            if existing.contains(pool.name) {
                response.skipped += 1
                continue
            }
            _ = try await storeCall { try await store.createPool(pool) }
            response.created += 1
        }
        poolWatchers.changed(agentIDs: pools.map(\.agentID))
        logger.info("pools imported", metadata: ["created": "\(response.created)", "skipped": "\(response.skipped)"])
        return response
    }
}

/// The pool backup file: `{"version": 1, "pools": [...]}`.
struct PoolBackup: Codable {
    var version = 1
    var pools: [Pool]
}
