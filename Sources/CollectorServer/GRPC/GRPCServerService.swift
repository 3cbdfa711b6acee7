import GRPCCore
import ServiceLifecycle

/// Runs a gRPC server as a lifecycle service: on graceful shutdown it stops
/// accepting RPCs and lets open ones finish.
struct GRPCServerService<Transport: ServerTransport>: Service {
    let server: GRPCServer<Transport>

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.serve()
        } onGracefulShutdown: {
            server.beginGracefulShutdown()
        }
    }
}
