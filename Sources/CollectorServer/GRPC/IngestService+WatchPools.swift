import CollectorProto
import GRPCCore

extension IngestService {
    /// The agent's pools now, then again whenever an operator changes them,
    /// until the agent hangs up or the collector shuts down (a held stream
    /// would otherwise keep a graceful shutdown waiting forever).
    public func watchAssignedPools(
        request: ServerRequest<Collector_V1_AssignedPoolsRequest>, context: ServerContext
    ) async throws -> StreamingServerResponse<Collector_V1_AssignedPoolsResponse> {
        let site = try await site(of: request.metadata)
        let agentID = request.message.agentID
        try await requireAgent(agentID, of: site)
        // Subscribed before the first read, so no change falls between.
        let changes = poolWatchers.watch(agentID: agentID)
        let first = try await assignedPools(of: agentID)
        return StreamingServerResponse { writer in
            try await writer.write(first)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var sent = first
                    for await _ in changes {
                        let now = try await assignedPools(of: agentID)
                        guard now != sent else { continue }
                        try await writer.write(now)
                        sent = now
                    }
                }
                group.addTask { await shutdown.wait() }
                // Whichever ends first (shutdown, a failed write) ends the stream.
                try await group.next()
                group.cancelAll()
            }
            return [:]
        }
    }
}
