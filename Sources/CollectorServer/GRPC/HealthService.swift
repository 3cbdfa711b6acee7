import CollectorProto
import CollectorStore
import GRPCCore
import ServiceSupport

/// The standard `grpc.health.v1.Health` service: SERVING while the store
/// accepts writes. The empty service name means the whole server.
public struct HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    static let knownServices: Set<String> = ["", "collector.v1.Ingest", "collector.v1.Query", "collector.v1.Admin"]
    let store: any Store
    let shutdown: ShutdownSignal

    public init(store: any Store, shutdown: ShutdownSignal) {
        self.store = store
        self.shutdown = shutdown
    }

    public func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard Self.knownServices.contains(request.service) else {
            throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
        }
        return await status()
    }

    public func watch(request: Grpc_Health_V1_HealthCheckRequest, response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
                      context: ServerContext) async throws {
        guard Self.knownServices.contains(request.service) else {
            var unknown = Grpc_Health_V1_HealthCheckResponse()
            unknown.status = .serviceUnknown
            try await response.write(unknown)
            return
        }
        var last: Grpc_Health_V1_HealthCheckResponse.ServingStatus?
        // Ends when the collector begins to shut down, so it never holds
        // a graceful shutdown open.
        while !Task.isCancelled && !shutdown.hasFired {
            let current = await status()
            if current.status != last {
                try await response.write(current)
                last = current.status
            }
            try await Task.sleep(for: .seconds(5))
        }
    }

    private func status() async -> Grpc_Health_V1_HealthCheckResponse {
        var response = Grpc_Health_V1_HealthCheckResponse()
        response.status = await store.isWritable() ? .serving : .notServing
        return response
    }
}
