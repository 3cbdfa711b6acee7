import CollectorModel
import Hummingbird

/// Who may use the legacy routes, and how each API says no. The
/// collector checks tokens; an agent's loopback intake lets everyone in.
public protocol LegacyAuthorizer: Sendable {
    /// Nil lets the request through; a response refuses it in the event
    /// service's shape.
    func eventService(_ request: Request, requiring scope: Scope) async throws -> Response?
    /// The same in the tracking API's (Django REST framework's) shape.
    func trackingAPI(_ request: Request, requiring scope: Scope) async throws -> Response?
}

/// An agent's intake: loopback only, no tokens.
public struct OpenIntake: LegacyAuthorizer {
    public init() {}
    public func eventService(_ request: Request, requiring scope: Scope) async throws -> Response? { nil }
    public func trackingAPI(_ request: Request, requiring scope: Scope) async throws -> Response? { nil }
}
