import CollectorModel
import CollectorProto
import CollectorStore
import CollectorWire
import Foundation
import GRPCCore

extension AdminService {
    /// Largest range one `computers add` entry may expand to.
    static let maxRange = PoolAdministration.maxRange

    public func createPool(request: Collector_V1_CreatePoolRequest, context: ServerContext) async throws -> Collector_V1_Pool {
        var pool = Pool(wire: request.pool)
        if request.pool.intervalMs == 0 { pool.interval = .seconds(300) }
        return Collector_V1_Pool(try await pools.create(pool, allowUnregisteredAgent: request.allowUnregisteredAgent))
    }

    public func updatePool(request: Collector_V1_UpdatePoolRequest, context: ServerContext) async throws -> Collector_V1_Pool {
        var change = PoolChange(metadata: request.metadata)
        if request.hasNewName { change.newName = request.newName }
        if request.hasRoom { change.room = request.room }
        if request.hasWatts { change.watts = request.watts }
        if request.hasStandbyWatts { change.standbyWatts = request.standbyWatts }
        if request.hasAgentID { change.agentID = request.agentID }
        if request.hasIntervalMs { change.interval = .milliseconds(Int64(clamping: request.intervalMs)) }
        return Collector_V1_Pool(try await pools.update(name: request.name, change, allowUnregisteredAgent: request.allowUnregisteredAgent))
    }

    public func deletePool(request: Collector_V1_DeletePoolRequest, context: ServerContext) async throws -> Collector_V1_DeletePoolResponse {
        try await pools.delete(name: request.name)
        return Collector_V1_DeletePoolResponse()
    }

    public func addComputers(request: Collector_V1_ComputersRequest, context: ServerContext) async throws -> Collector_V1_Pool {
        Collector_V1_Pool(try await pools.addComputers(pool: request.pool, request.addresses))
    }

    public func removeComputers(request: Collector_V1_ComputersRequest, context: ServerContext) async throws -> Collector_V1_Pool {
        Collector_V1_Pool(try await pools.removeComputers(pool: request.pool, request.addresses))
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
