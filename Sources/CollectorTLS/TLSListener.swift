import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix
import NIOSSL

/// The collector's gRPC listener: TCP, then TLS, then gRPC's HTTP/2.
///
/// grpc-swift-nio-transport's own Posix listener does the same; this one
/// exists so each connection's pipeline can be fitted to an agent's stream,
/// which is small and mostly idle, and which a collector holds ten thousand
/// of (`RightSizedReads`).
public struct TLSListener: HTTP2ServerTransport.ListenerFactory {
    public let eventLoopGroup: any EventLoopGroup
    let host: String
    let port: Int
    let tls: NIOSSLContext

    public init(host: String, port: Int, tls: NIOSSLContext,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.host = host
        self.port = port
        self.tls = tls
        self.eventLoopGroup = eventLoopGroup
    }

    public func makeListeningChannel(
        listenerConfigurator: HTTP2ServerTransport.ListenerConfigurator,
        connectionConfigurator: HTTP2ServerTransport.ConnectionConfigurator
    ) async throws -> NIOAsyncChannel<HTTP2ServerTransport.ConnectionConfigurator.ConnectionChannel, Never> {
        let tls = self.tls
        return try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { listenerConfigurator.configure(channel: $0) }
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(NIOSSLServerHandler(context: tls), RightSizedReads())
                }.flatMap {
                    connectionConfigurator.configure(channel: channel, tls: .configured(requireALPN: false))
                }
            }
    }
}
