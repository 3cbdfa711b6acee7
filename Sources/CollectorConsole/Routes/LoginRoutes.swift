import CollectorModel
import Foundation
import Hummingbird

/// The login form. Before a session exists there is no session CSRF token,
/// so the form carries a double-submit token: a random value in a
/// short-lived cookie and in the form, which a forged cross-site post
/// cannot read to repeat.
struct LoginRoutes<Context: ConsoleRequestContext>: Sendable {
    static var tokenCookie: String { "collector_login" }

    let sessions: ConsoleSessions
    let renderer: PageRenderer

    struct LoginForm: Decodable {
        var csrf: String
        var name: String
        var password: String
        var next: String?
    }

    func register(on group: RouterGroup<Context>) {
        group.get("login") { request, _ in form(next: Self.safeNext(request.parameter("next")), name: "", message: nil, status: .ok) }
        group.post("login") { request, context in try await login(request, context: context) }
    }

    func form(next: String, name: String, message: String?, status: HTTPResponse.Status) -> Response {
        let token = randomHex(bytes: 16)
        var response = renderer.page("login", title: "Log in", section: nil, signedIn: nil,
                                     model: ["csrf": token, "next": next, "name": name, "message": templateValue(message)], status: status)
        response.setCookie(Cookie(name: Self.tokenCookie, value: token, maxAge: 3600, path: ConsoleSessions.cookiePath,
                                  secure: sessions.settings.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func login(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: consoleFormLimit))
        guard let submitted = try? URLEncodedFormDecoder().decode(LoginForm.self, from: body) else {
            return form(next: "/console/instances", name: "", message: "Enter a name and a password.", status: .badRequest)
        }
        let cookie = request.cookies[Self.tokenCookie]?.value ?? ""
        guard !cookie.isEmpty, constantTimeEquals(Array(cookie.utf8), Array(submitted.csrf.utf8)) else {
            throw ConsoleRefusal.badCSRF
        }
        let next = Self.safeNext(submitted.next ?? "")
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        switch try await sessions.login(name: submitted.name, password: submitted.password, address: address) {
        case .signedIn(let secret):
            var response = Response(status: .seeOther, headers: [.location: next])
            response.setCookie(sessions.cookie(secret: secret))
            response.setCookie(Cookie(name: Self.tokenCookie, value: "", maxAge: 0, path: ConsoleSessions.cookiePath, httpOnly: true))
            return response
        case .refused:
            return form(next: next, name: submitted.name, message: "Wrong name or password.", status: .unauthorized)
        case .throttled(let wait):
            var response = form(next: next, name: submitted.name,
                                message: "Too many failed logins. Try again in \(Int(wait.seconds.rounded(.up))) seconds.",
                                status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(wait.seconds.rounded(.up)))
            return response
        }
    }

    /// Where to go after logging in: a console path only, never another
    /// site (an open redirect would lend this login page to phishing).
    static func safeNext(_ text: String) -> String {
        let path = text.removingPercentEncoding ?? text
        guard path.hasPrefix("/console/"), !path.hasPrefix("//"), !path.contains("\\"), !path.contains("/console/login"),
              path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return ConsoleSection.instances.path }
        return path
    }
}

/// Signing out ends the session on the server, then drops the cookie.
struct LogoutRoute<Context: ConsoleRequestContext>: Sendable {
    let sessions: ConsoleSessions

    func register(on group: RouterGroup<Context>) {
        group.post("logout") { request, context in
            let signedIn = try context.requireSignedIn()
            _ = try await request.consoleForm(CSRFField.self, signedIn: signedIn)
            try await sessions.logout(signedIn)
            var response = Response(status: .seeOther, headers: [.location: "/console/login"])
            response.setCookie(sessions.expiredCookie)
            return response
        }
    }
}
