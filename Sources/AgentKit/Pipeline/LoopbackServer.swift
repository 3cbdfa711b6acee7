import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import HummingbirdCore
import Logging
import NIOHTTP1
import NIOPosix
import ServiceSupport
import Synchronization

/// One of the agent's HTTP listeners (the events intake, `/metrics`): the
/// router served on `address` until cancelled, the bound port logged and
/// told, and a taken port ending the agent with `NAME listen HOST:PORT:
/// address already in use`, not NIO's words for it.
///
/// Served by HummingbirdCore's server directly, not by `Application`: an
/// `Application` keeps its `Date` header fresh with a timer that wakes the
/// process every second, and the agent has two listeners that mostly see no
/// request for minutes. The date is made when a response needs it instead,
/// at most once a second.
struct LoopbackServer: Sendable {
    let name: String
    let address: HostPort
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    func serve(_ router: Router<BasicRequestContext>) async throws {
        let listener = Listener(name: name, address: address.description)
        let (name, address, logger, listening) = (name, address, logger, onListening)
        let responder = router.buildResponder()
        let date = ResponseDate()
        let server = try HTTPServerBuilder.http1().buildServer(
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "collector-agent"),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger,
            responder: { request, responseWriter, channel in
                let context = BasicRequestContext(source: .init(channel: channel, logger: logger))
                var response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch let error as HTTPParserError {
                    // The connection is broken: the server closes it, as
                    // Application does, instead of answering.
                    throw error
                } catch {
                    logger.debug("unhandled error", metadata: ["error": "\(error)"])
                    response = Response(status: .internalServerError)
                }
                response.headers[.date] = date.now()
                response.headers[.server] = "collector-agent"
                try await responseWriter.write(response: response.head, body: response.body)
            },
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                listener.bound(port: port)
                logger.info("\(name) listening", metadata: ["address": "\(address.host):\(port)"])
                await listening(port)
            })
        try await listener.serve { try await GracefulOnCancellation(server, logger: logger).run() }
    }
}

/// The HTTP `Date` of this second, made at most once a second and only
/// when a response asks for it.
final class ResponseDate: Sendable {
    private let cached = Mutex<(second: Int64, text: String)>((.min, ""))

    func now() -> String {
        let now = Date()
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        if let text = cached.withLock({ $0.second == second ? $0.text : nil }) { return text }
        let text = LegacyTime.httpDate(now)
        cached.withLock { $0 = (second, text) }
        return text
    }
}
