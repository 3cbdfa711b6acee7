import GRPCCore
import ServiceLifecycle
import ServiceSupport

/// Runs a gRPC server as a lifecycle service: on graceful shutdown it stops
/// accepting RPCs, tells push streams to end (they would otherwise never
/// finish) and lets the rest complete.
struct GRPCServerService<Transport: ServerTransport>: Service {
    let server: GRPCServer<Transport>
    let shutdown: ShutdownSignal

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.serve()
        } onGracefulShutdown: {
            shutdown.fire()
            server.beginGracefulShutdown()
        }
    }
}
