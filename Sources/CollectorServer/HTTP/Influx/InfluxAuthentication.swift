import CollectorModel
import Foundation
import HTTPTypes
import Hummingbird
import LegacyHTTP

/// Credentials as InfluxDB clients send them, mapped to Collector tokens:
/// the `p` query parameter (the `u` beside it names nobody here), HTTP
/// Basic (the password is the token), or `Authorization: Token x` (or
/// `Bearer x`). Refusals as InfluxDB words them.
struct InfluxAuthentication: Sendable {
    let authenticator: Authenticator

    enum Outcome: Sendable {
        case allowed(Principal)
        case refused(Response)
    }

    func authenticate(_ request: Request, requiring scopes: [Scope], action: String) async throws -> Outcome {
        let header = credential(of: request).map { "Bearer " + $0 } ?? request.headers[.authorization]
        do {
            let principal = try await authenticator.authenticate(authorization: header)
            guard scopes.contains(where: principal.has) else {
                return .refused(Self.error(.forbidden, "token '\(principal.tokenName)' is not authorized to \(action)"))
            }
            return .allowed(principal)
        } catch AuthFailure.rateLimited(let wait) {
            return .refused(Self.error(.tooManyRequests, AuthFailure.rateLimited(retryAfter: wait).description,
                                       headers: [.retryAfter: String(Int(wait.seconds.rounded(.up)))]))
        } catch {
            return .refused(Self.error(.unauthorized, "authorization failed"))
        }
    }

    /// The token from `p` or Basic; nil for a header Collector reads as it is.
    private func credential(of request: Request) -> String? {
        if let password = FormParameters.parse(request.uri.query ?? "")["p"], !password.isEmpty { return password }
        if let header = request.headers[.authorization], let basic = BasicCredentials(header: header) { return basic.password }
        return nil
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.init("X-Influxdb-Version")!] = InfluxRoutes.version
        return .json(status, "{\"error\":" + JSONText.string(message) + "}", headers: fields)
    }
}
