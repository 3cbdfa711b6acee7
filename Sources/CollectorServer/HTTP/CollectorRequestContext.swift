import CollectorConsole
import Hummingbird
import NIOCore

/// The HTTP side's request context: Hummingbird's basics, the peer's
/// address (the unauthenticated legacy routes and the console's login are
/// rate-limited by it) and the console user the session middleware found.
public struct CollectorRequestContext: ConsoleRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public var signedIn: SignedIn?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        signedIn = nil
    }
}
