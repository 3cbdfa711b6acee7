import GRPCCore
import GRPCNIOTransportHTTP2
import ServiceLifecycle
import ServiceSupport

/// Runs a gRPC server as a lifecycle service: on graceful shutdown it stops
/// accepting RPCs, tells push streams to end (they would otherwise never
/// finish) and lets the rest complete. Its listener learns the bound port;
/// a failure to bind is a `ListenError` naming the address and the reason,
/// not the transport's "no listening address bound".
struct GRPCServerService<Transport: ServerTransport>: Service {
    let server: GRPCServer<Transport>
    let shutdown: ShutdownSignal
    let listener: Listener

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await listener.serve({
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await server.serve() }
                    group.addTask {
                        // Resolves once bound; throws when the transport never bound.
                        guard let address = try? await server.listeningAddress,
                              let port = address.ipv4?.port ?? address.ipv6?.port else { return }
                        listener.bound(port: port)
                    }
                    try await group.waitForAll()
                }
            }, cause: { error in (error as? RuntimeError)?.cause ?? error })
        } onGracefulShutdown: {
            shutdown.fire()
            server.beginGracefulShutdown()
        }
    }
}
