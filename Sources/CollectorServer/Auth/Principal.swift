import CollectorModel

/// Who is calling: the token that authenticated the request.
public struct Principal: Sendable, Equatable {
    public var tokenID: String
    public var tokenName: String
    public var scopes: Set<Scope>
    public var site: String?

    public func has(_ scope: Scope) -> Bool { scopes.contains(scope) }

    /// The caller of the RPC being handled, as `AuthInterceptor`
    /// authenticated it.
    @TaskLocal public static var current: Principal?
}

/// Why a request was refused. The messages name the problem, never the
/// presented secret.
public enum AuthFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case malformed
    case unknown
    case revoked
    case expired
    case missingScope(Scope)
    /// The token made more requests than `limits.token_requests_per_minute`.
    case rateLimited(retryAfter: Duration)

    public var description: String {
        switch self {
        case .missing: "missing credentials: send 'authorization: Bearer <token>'"
        case .malformed: "malformed token"
        case .unknown: "unknown token"
        case .revoked: "token revoked"
        case .expired: "token expired"
        case .missingScope(let scope): "token lacks the '\(scope.rawValue)' scope"
        case .rateLimited(let wait): "too many requests with this token; retry in \(Int(wait.seconds.rounded(.up))) s"
        }
    }
}
