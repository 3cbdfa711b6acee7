import CollectorModel
import CollectorStore
import Hummingbird
import LegacyHTTP

/// Errors nobody answered (unknown routes, oversize bodies) in the event
/// service's shape: `{"success": false, "data": null, "message": "..."}`.
struct LegacyErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound ? "Not found: \(request.uri.path)" : error.status.reasonPhrase)
            var response = Self.response(error.status, message)
            // Retry-After on 429, for one.
            response.headers.append(contentsOf: error.headers)
            return response
        } catch let error as StoreError {
            // A client that sees 5xx other than 500 knows to try again later.
            switch error {
            case .full, .lowOnSpace: return Self.response(.init(code: 507, reasonPhrase: "Insufficient Storage"), error.description)
            default: return Self.response(.serviceUnavailable, error.description)
            }
        }
    }

    static func response(_ status: HTTPResponse.Status, _ message: String) -> Response {
        .json(status, LegacyEventBody.errorBody(message))
    }
}
