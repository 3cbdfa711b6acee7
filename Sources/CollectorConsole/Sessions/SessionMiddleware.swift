import Foundation
import HTTPTypes
import Hummingbird

/// Lets a request through to the console's pages only with a live session,
/// which it puts in the request context. Without one, a page request is
/// sent to the login form (and back after it); anything else is refused.
struct SessionMiddleware<Context: ConsoleRequestContext>: RouterMiddleware {
    let sessions: ConsoleSessions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let secret = request.cookies[ConsoleSessions.cookieName]?.value {
            context.signedIn = try await sessions.signedIn(secret: secret)
        }
        guard context.signedIn != nil else {
            guard request.method == .get || request.method == .head else {
                throw ConsoleRefusal(.unauthorized, "Your session has ended. Log in again.")
            }
            let next = LoginRoutes<Context>.safeNext(request.uri.description)
            var response = Response(status: .seeOther, headers: [.location: "/console/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")])
            // A stale cookie is cleared rather than sent with every request.
            if request.cookies[ConsoleSessions.cookieName] != nil { response.setCookie(sessions.expiredCookie) }
            return response
        }
        return try await next(request, context)
    }
}

/// A refusal shown to the user as a page with its status.
struct ConsoleRefusal: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    static let adminOnly = ConsoleRefusal(.forbidden, "Only admins may do this. Ask an admin, or log in as one.")
    static let badCSRF = ConsoleRefusal(.forbidden, "This form has expired or did not come from this console. Go back, reload and try again.")
}

extension ConsoleRequestContext {
    /// The signed-in user; the session middleware guarantees one on every
    /// page behind it.
    func requireSignedIn() throws -> SignedIn {
        guard let signedIn else { throw ConsoleRefusal(.unauthorized, "Log in first.") }
        return signedIn
    }

    func requireAdmin() throws -> SignedIn {
        let signedIn = try requireSignedIn()
        guard signedIn.isAdmin else { throw ConsoleRefusal.adminOnly }
        return signedIn
    }
}
