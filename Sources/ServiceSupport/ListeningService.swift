import ServiceLifecycle

/// A server (Hummingbird's `Application`) run as a service whose failure
/// to bind names its listener; the server's `onServerRunning` calls
/// `listener.bound(port:)`.
public struct ListeningService<Server: Service>: Service {
    let server: Server
    let listener: Listener

    public init(_ server: Server, listener: Listener) {
        self.server = server
        self.listener = listener
    }

    public func run() async throws {
        try await listener.serve { try await server.run() }
    }
}
