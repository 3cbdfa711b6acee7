import CollectorModel
import Hummingbird
import LegacyHTTP

/// Token checks for the HTTP side: the same authenticator as gRPC, reading
/// `Authorization: Bearer x`, `Token x` or a bare token, and each legacy
/// API's way of saying no.
struct HTTPAuthentication: LegacyAuthorizer {
    let authenticator: Authenticator

    /// A token over its rate is thrown as 429 with `Retry-After`, answered
    /// in each API's error shape by the error middleware.
    func authenticate(_ request: Request, requiring scope: Scope) async throws -> Result<Principal, AuthFailure> {
        do {
            return .success(try await authenticator.authenticate(authorization: request.headers[.authorization], requiring: scope))
        } catch AuthFailure.rateLimited(let wait) {
            throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(Int(wait.seconds.rounded(.up)))],
                            message: AuthFailure.rateLimited(retryAfter: wait).description)
        } catch let failure as AuthFailure {
            return .failure(failure)
        } catch {
            return .failure(.unknown)
        }
    }

    /// The event service: 403 `{"success": false, "data": null, "message"}`.
    func eventService(_ request: Request, requiring scope: Scope) async throws -> Response? {
        guard case .failure(let failure) = try await authenticate(request, requiring: scope) else { return nil }
        return .json(.forbidden, LegacyEventBody.errorBody(failure.description))
    }

    /// The tracking API, as django-oauth-toolkit under DRF answered: 401
    /// with `WWW-Authenticate` (naming an invalid token as such), or 403
    /// for a token without the scope.
    func trackingAPI(_ request: Request, requiring scope: Scope) async throws -> Response? {
        guard case .failure(let failure) = try await authenticate(request, requiring: scope) else { return nil }
        switch failure {
        case .missingScope:
            return .json(.forbidden, JSONText.compactObject([("detail", JSONText.string("You do not have permission to perform this action."))]))
        case .missing:
            return Self.notAuthenticated(challenge: "Bearer realm=\"api\"")
        default:
            return Self.notAuthenticated(
                challenge: "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token is invalid.\"")
        }
    }

    static func notAuthenticated(challenge: String) -> Response {
        .json(.unauthorized, JSONText.compactObject([("detail", JSONText.string("Authentication credentials were not provided."))]),
              headers: [.wwwAuthenticate: challenge])
    }
}
