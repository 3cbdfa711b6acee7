import CollectorModel
import CollectorStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Every console response: a strict Content-Security-Policy (same-origin
/// stylesheet and script only, no inline script or style, no frames, forms
/// post only here), no sniffing, no referrer beyond this origin, no caching
/// of pages that show data. Errors from handlers become pages here.
struct SecurityHeadersMiddleware<Context: ConsoleRequestContext>: RouterMiddleware {
    static var policy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    let renderer: PageRenderer
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = errorPage(error, context: context)
        }
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.xFrameOptions] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    func errorPage(_ error: any Error, context: Context) -> Response {
        let (status, message): (HTTPResponse.Status, String) = switch error {
        case let refusal as ConsoleRefusal: (refusal.status, refusal.message)
        case let invalid as ValidationError: (.badRequest, invalid.description)
        case let refused as ConsoleActionError: (.badRequest, refused.description)
        case StoreError.conflict(let what): (.conflict, what)
        case let store as StoreError: (.serviceUnavailable, store.description)
        case let http as HTTPError: (http.status, http.body ?? http.status.reasonPhrase)
        default: (.internalServerError, "Something went wrong on the collector; its log says what.")
        }
        if status == .internalServerError { logger.error("console error", metadata: ["error": "\(error)"]) }
        return renderer.page("error", title: "\(status.code) \(status.reasonPhrase)", section: nil, signedIn: context.signedIn,
                             model: ["status": "\(status.code) \(status.reasonPhrase)", "message": message], status: status)
    }
}

extension HTTPField.Name {
    // Constant, valid names: HTTPTypes has no constants for these two.
    static let referrerPolicy = Self("Referrer-Policy") ?? .cacheControl
    static let xFrameOptions = Self("X-Frame-Options") ?? .cacheControl
}
