import CollectorModel
import Hummingbird

/// Django REST framework's answer to a known path asked with a method it
/// does not serve: 405, `{"detail": "Method \"GET\" not allowed."}` and an
/// `Allow` header. The check that DRF makes first (credentials, scope) is
/// the caller's `authorize`.
public struct MethodNotAllowed: Sendable {
    public let allowed: [HTTPRequest.Method]

    public init(allowing allowed: [HTTPRequest.Method]) {
        self.allowed = allowed
    }

    static let candidates: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]

    /// Registers 405 for every method the path does not serve, and
    /// `OPTIONS` (200 with `Allow`).
    public func register<Context: RequestContext>(
        on router: Router<Context>, path: RouterPath,
        authorize: @escaping @Sendable (Request) async throws -> Response? = { _ in nil }
    ) {
        let allow = (allowed + [.options]).map(\.rawValue).joined(separator: ", ")
        for method in Self.candidates where !allowed.contains(method) {
            router.on(path, method: method) { request, _ -> Response in
                if method == .options {
                    return .json(.ok, "{}", headers: [.allow: allow])
                }
                if let refusal = try await authorize(request) { return refusal }
                let detail = JSONText.string("Method \"\(request.method.rawValue)\" not allowed.")
                return .json(.methodNotAllowed, JSONText.compactObject([("detail", detail)]), headers: [.allow: allow])
            }
        }
    }
}
