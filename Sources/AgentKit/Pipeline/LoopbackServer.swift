import CollectorModel
import Hummingbird
import Logging
import ServiceSupport

/// One of the agent's HTTP listeners (the events intake, `/metrics`): the
/// router served on `address` until cancelled, the bound port logged and
/// told, and a taken port ending the agent with `NAME listen HOST:PORT:
/// address already in use`, not NIO's words for it.
struct LoopbackServer: Sendable {
    let name: String
    let address: HostPort
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    func serve(_ router: Router<BasicRequestContext>) async throws {
        let listener = Listener(name: name, address: address.description)
        let (name, address, logger, listening) = (name, address, logger, onListening)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "collector-agent"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                listener.bound(port: port)
                logger.info("\(name) listening", metadata: ["address": "\(address.host):\(port)"])
                await listening(port)
            },
            logger: logger)
        try await listener.serve { try await GracefulOnCancellation(application, logger: logger).run() }
    }
}
