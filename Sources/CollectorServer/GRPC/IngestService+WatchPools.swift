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
        let watch = poolWatchers.watch(agentID: agentID)
        let first = try await assignedPools(of: agentID)
        return StreamingServerResponse { writer in
            try await writer.write(first)
            // A shutdown ends the changes, and with them the stream, as an
            // agent's hang-up (a failed write) does: no task waits for it.
            try await shutdown.withHandler {
                var sent = first
                for await _ in watch.changes {
                    let now = try await assignedPools(of: agentID)
                    guard now != sent else { continue }
                    try await writer.write(now)
                    sent = now
                }
            } onFire: {
                watch.end()
            }
            return [:]
        }
    }
}
