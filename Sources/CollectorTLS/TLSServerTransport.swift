import GRPCCore
import GRPCNIOTransportHTTP2

/// gRPC over `TLSListener`, with the address it bound.
///
/// grpc-swift-nio-transport's custom transport leaves the listening address
/// to a wrapper (a listener need not be a socket); the collector learns its
/// port from it when it listens on port 0.
public struct TLSServerTransport: ListeningServerTransport {
    public typealias Bytes = GRPCNIOTransportBytes

    let transport: HTTP2ServerTransport.Custom<TLSListener>

    public init(listener: TLSListener, config: HTTP2ServerTransport.Custom<TLSListener>.Config) {
        transport = HTTP2ServerTransport.Custom(listenerFactory: listener, config: config)
    }

    public func configure(context: GRPCServerContext) {
        transport.configure(context: context)
    }

    public func listen(
        streamHandler: @escaping @Sendable (_ stream: RPCStream<Inbound, Outbound>, _ context: ServerContext) async -> Void
    ) async throws {
        try await transport.listen(streamHandler: streamHandler)
    }

    public func beginGracefulShutdown() {
        transport.beginGracefulShutdown()
    }

    public var listeningAddress: GRPCNIOTransportCore.SocketAddress {
        get async throws {
            guard let address = await transport.listeningAddress else {
                throw RuntimeError(code: .serverIsStopped, message: "the gRPC listener is not bound")
            }
            return address
        }
    }
}
