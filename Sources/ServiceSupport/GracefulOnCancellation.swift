import Logging
import ServiceLifecycle

/// Runs a service so that cancelling it shuts it down gracefully instead of
/// tearing it down. An HTTP server cancelled with a keep-alive connection
/// open trips a precondition in NIO's async writer; shut down gracefully it
/// closes its connections first.
public struct GracefulOnCancellation: Service {
    let service: any Service
    let logger: Logger

    public init(_ service: any Service, logger: Logger) {
        self.service = service
        self.logger = logger
    }

    public func run() async throws {
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: logger))
        // Unstructured, so our cancellation does not reach the group; it is
        // turned into a graceful shutdown instead.
        let running = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await running.value
            } onGracefulShutdown: {
                Task { await group.triggerGracefulShutdown() }
            }
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}
