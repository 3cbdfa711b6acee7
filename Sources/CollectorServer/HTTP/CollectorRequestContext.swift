import Hummingbird
import NIOCore

/// The HTTP side's request context: Hummingbird's basics plus the peer's
/// address, which the unauthenticated legacy routes are rate-limited by.
public struct CollectorRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
