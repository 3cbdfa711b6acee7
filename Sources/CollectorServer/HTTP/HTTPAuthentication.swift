import CollectorModel
import Hummingbird

/// Token checks for the HTTP side: the same authenticator as gRPC, reading
/// `Authorization: Bearer x`, `Token x` or a bare token.
struct HTTPAuthentication: Sendable {
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
}
