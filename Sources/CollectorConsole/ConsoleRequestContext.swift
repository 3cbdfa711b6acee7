import CollectorModel
import Hummingbird

/// A request context that carries who is signed in, as the session
/// middleware established it: handlers never read the cookie again.
public protocol ConsoleRequestContext: RemoteAddressRequestContext {
    var signedIn: SignedIn? { get set }
}

/// The signed-in user of a request and their session.
public struct SignedIn: Sendable {
    public var user: UserRecord
    public var session: SessionRecord

    public var isAdmin: Bool { user.role == .admin }
}
