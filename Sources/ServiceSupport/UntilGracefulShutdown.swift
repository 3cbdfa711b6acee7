import ServiceLifecycle

/// Runs a loop until the service group shuts down gracefully, then returns
/// normally. `cancelWhenGracefulShutdown` alone ends the loop by throwing
/// CancellationError, which ServiceGroup reads as a failing service: it
/// cancels the whole group, so the services still to stop (the gRPC server
/// with its push streams) are torn down instead of drained.
public func untilGracefulShutdown(_ body: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown(body)
    } catch is CancellationError where Task.isShuttingDownGracefully {
        return
    }
}
