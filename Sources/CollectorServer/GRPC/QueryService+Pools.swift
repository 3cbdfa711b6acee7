import CollectorModel
import CollectorProto
import CollectorStore
import CollectorWire
import Foundation
import GRPCCore

extension QueryService {
    public func listPools(request: Collector_V1_ListPoolsRequest, context: ServerContext) async throws -> Collector_V1_ListPoolsResponse {
        var response = Collector_V1_ListPoolsResponse()
        response.pools = try await storeCall { try await store.pools() }.map(Collector_V1_Pool.init)
        return response
    }

    public func poolStatus(request: Collector_V1_PoolStatusRequest, context: ServerContext) async throws -> Collector_V1_PoolStatusResponse {
        guard let pool = try await storeCall({ try await store.pool(name: request.pool) }) else {
            throw RPCError(code: .notFound, message: "no pool named '\(request.pool)'")
        }
        var response = Collector_V1_PoolStatusResponse()
        response.pool = Collector_V1_Pool(pool)
        response.computers = try await storeCall { try await store.computerStatus(poolID: pool.id) }.map { status in
            var wire = Collector_V1_ComputerStatus()
            wire.address = status.address
            wire.up = status.up
            wire.lastSweepUnixNano = status.lastSweep.map(WireTime.nanos) ?? 0
            wire.lastUpUnixNano = status.lastUp.map(WireTime.nanos) ?? 0
            wire.lastRttMs = status.lastRTTMilliseconds
            wire.reason = status.reason ?? ""
            return wire
        }
        return response
    }

    public func poolReport(request: Collector_V1_PoolReportRequest, context: ServerContext) async throws -> Collector_V1_PoolReportResponse {
        let report = try await storeCall { try await pools.report(from: request.fromDate, to: request.toDate, poolNames: request.pools) }
        var response = Collector_V1_PoolReportResponse()
        for (index, _) in report.days.enumerated() {
            for (_, days) in report.pools {
                let day = days[index]
                var wire = Collector_V1_PoolDay()
                wire.date = day.date
                wire.pool = day.pool
                wire.room = day.room
                wire.runtimeHours = day.runtimeHours
                wire.averageHours = day.averageHours
                wire.energyKwh = day.energyKWh
                wire.computers = UInt32(day.computers)
                wire.used = UInt32(day.used)
                wire.unknownHours = day.unknownHours
                response.days.append(wire)
            }
        }
        return response
    }

    public func exportCSV(request: Collector_V1_ExportCSVRequest, context: ServerContext) async throws -> Collector_V1_ExportCSVResponse {
        guard let dialect = PoolCSV.Dialect(rawValue: request.dialect.isEmpty ? "unix" : request.dialect) else {
            throw RPCError(code: .invalidArgument, message: "dialect: '\(request.dialect)' is not unix or excel")
        }
        let report = try await storeCall { try await pools.report(from: request.fromDate, to: request.toDate, poolNames: request.pools) }
        var response = Collector_V1_ExportCSVResponse()
        response.csv = PoolCSV.render(days: report.days, pools: report.pools, dialect: dialect)
        return response
    }
}
