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

extension TLSServerTransport {
    /// grpc-swift's defaults with flush coalescing off. It holds each flush
    /// up to 0.1 ms, with a timer, to gather writes; an agent's stream gets
    /// one small ack per batch, so there is nothing to gather and every ack
    /// paid the delay and the timer's wake-up (at 1,000 streams: 0.8 context
    /// switches a batch more, and the sustained rate no higher).
    public static func config(maxRequestPayloadSize: Int? = nil) -> HTTP2ServerTransport.Custom<TLSListener>.Config {
        var config = HTTP2ServerTransport.Custom<TLSListener>.Config.defaults
        config.connection.flushCoalescing = nil
        if let maxRequestPayloadSize { config.rpc.maxRequestPayloadSize = maxRequestPayloadSize }
        return config
    }
}
