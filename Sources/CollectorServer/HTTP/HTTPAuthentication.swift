import CollectorModel
import Hummingbird

/// Token checks for the HTTP side: the same authenticator as gRPC, reading
/// `Authorization: Bearer x`, `Token x` or a bare token.
struct HTTPAuthentication: Sendable {
    let authenticator: Authenticator

    func authenticate(_ request: Request, requiring scope: Scope) async -> Result<Principal, AuthFailure> {
        do {
            return .success(try await authenticator.authenticate(authorization: request.headers[.authorization], requiring: scope))
        } catch let failure as AuthFailure {
            return .failure(failure)
        } catch {
            return .failure(.unknown)
        }
    }
}
