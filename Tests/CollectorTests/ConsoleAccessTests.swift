import CollectorConsole
import CollectorModel
import CollectorServer
import Foundation
import Testing

/// The console's part of the access table: every route without a session,
/// every admin action with a viewer's session, every form without or with a
/// wrong CSRF token, a removed user's session. Each is refused and the
/// database is unchanged, byte for byte; the same request from an admin with
/// the right token gets through, so the refusals are not an accident of it.
@Suite("Console access: every route × no session, viewer, bad CSRF, removed user", .serialized)
struct ConsoleAccessTests {
    static let adminPassword = "admin-password-1"
    static let viewerPassword = "viewer-password-1"

    /// A collector with an admin, a viewer, one instance and one pool.
    struct Fixture {
        let directory: TemporaryDirectory
        let collector: RunningCollector
        let uuid: String
        var base: String { "http://127.0.0.1:\(collector.addresses.httpPort)" }

        static func make(_ name: String, config: CollectorConfig = RunningCollector.testConfig) async throws -> Fixture {
            let directory = try TemporaryDirectory(name)
            let collector = try await RunningCollector.start(dataDirectory: directory.path, config: config)
            let now = Date()
            try await collector.store.createUser(UserRecord(name: "ada", role: .admin, passwordHash: try await PasswordHash.make(adminPassword),
                                                            created: now, passwordChanged: now))
            try await collector.store.createUser(UserRecord(name: "vic", role: .viewer, passwordHash: try await PasswordHash.make(viewerPassword),
                                                            created: now, passwordChanged: now))
            let created = try await http("POST", "http://127.0.0.1:\(collector.addresses.httpPort)/api/instance/",
                                         headers: ["Content-Type": "application/json"],
                                         body: #"{"url": "https://one.example.org", "contact": "<script>alert(1)</script>", "email": "a@example.org", "organisation": "Lab <b>one</b>"}"#)
            guard let uuid = (created.json as? [String: Any])?["uuid"] as? String else { throw CLIStyleError("no uuid: \(created.body)") }
            _ = try await collector.store.createPool(Pool(name: "lab", room: "1.01", watts: 60, agentID: "lab-agent", computers: ["127.0.0.1"]))
            return Fixture(directory: directory, collector: collector, uuid: uuid)
        }

        func signedIn(_ name: String, _ password: String) async throws -> (ConsoleBrowser, String) {
            let browser = ConsoleBrowser(base: base)
            let answer = try await browser.login(name, password)
            #expect(answer.status == 303, "login as \(name): \(answer.status) \(answer.body.prefix(300))")
            let page = try await browser.get("/console/instances")
            guard let csrf = ConsoleBrowser.csrf(in: page.body) else { throw CLIStyleError("no CSRF token on the instances page") }
            return (browser, csrf)
        }
    }

    /// Every page a signed-in user may read.
    static func pages(_ uuid: String) -> [String] {
        ["/console/", "/console/instances", "/console/instances/\(uuid)", "/console/statistics", "/console/pools",
         "/console/pools/lab", "/console/pools/export.csv?start_date=2024-01-01&end_date=2024-01-02", "/console/events", "/console/agents"]
    }

    /// Every state-changing form, with fields that would be accepted.
    static func actions(_ uuid: String) -> [(path: String, fields: [(String, String)])] {
        [("/console/instances/\(uuid)/edit", [("url", "https://two.example.org"), ("contact", "B"), ("email", "b@example.org"), ("organization", "Lab")]),
         ("/console/instances/\(uuid)/disable", []), ("/console/instances/\(uuid)/enable", []),
         ("/console/instances/\(uuid)/delete", []),
         ("/console/pools", [("name", "new"), ("room", "2"), ("agent", "lab-agent"), ("watts", "5"), ("interval", "60"), ("computers", ""),
                             ("allow_unregistered", "1")]),
         ("/console/pools/lab/edit", [("room", "3.03"), ("watts", "61"), ("standby_watts", ""), ("agent", "lab-agent")]),
         ("/console/pools/lab/computers", [("computers", "127.0.0.2"), ("action", "add")]),
         ("/console/pools/lab/delete", [])]
    }

    @Test func everyRouteWithoutASessionIsRefused() async throws {
        let fixture = try await Fixture.make("console-none")
        defer { Task { await fixture.collector.stop() } }
        let before = try DatabaseSnapshot(fixture.collector)
        let browser = ConsoleBrowser(base: fixture.base)
        for page in Self.pages(fixture.uuid) {
            let answer = try await browser.get(page)
            #expect(answer.status == 303, "\(page): \(answer.status)")
            #expect(answer.headers["location"]?.hasPrefix("/console/login?next=") == true, "\(page): \(answer.headers["location"] ?? "-")")
        }
        for action in Self.actions(fixture.uuid) + [("/console/logout", [])] {
            let answer = try await browser.post(action.path, action.fields, csrf: "0000")
            #expect(answer.status == 401, "\(action.path): \(answer.status)")
        }
        // A forged cookie is no session either.
        browser.setCookie("collector_session", String(repeating: "ab", count: 32))
        #expect(try await browser.get("/console/instances").status == 303)
        #expect(try DatabaseSnapshot(fixture.collector) == before)
    }

    @Test func aViewerReadsEveryPageButIsRefusedEveryAdminAction() async throws {
        let fixture = try await Fixture.make("console-viewer")
        defer { Task { await fixture.collector.stop() } }
        let (viewer, csrf) = try await fixture.signedIn("vic", Self.viewerPassword)
        for page in Self.pages(fixture.uuid) where page != "/console/" {
            let answer = try await viewer.get(page)
            #expect(answer.status == 200, "\(page): \(answer.status) \(answer.body.prefix(300))")
            #expect(!answer.body.contains("id=\"edit-instance\"") && !answer.body.contains("id=\"edit-pool\""), "\(page) shows admin forms")
        }
        let before = try DatabaseSnapshot(fixture.collector)
        for action in Self.actions(fixture.uuid) {
            let answer = try await viewer.post(action.path, action.fields, csrf: csrf)
            #expect(answer.status == 403, "\(action.path): \(answer.status)")
        }
        #expect(try DatabaseSnapshot(fixture.collector) == before, "a viewer's refused action changed the database")
    }

    @Test func everyFormRefusesAMissingOrWrongCSRFTokenAndTheRightOneGetsThrough() async throws {
        let fixture = try await Fixture.make("console-csrf")
        defer { Task { await fixture.collector.stop() } }
        let (admin, csrf) = try await fixture.signedIn("ada", Self.adminPassword)
        let before = try DatabaseSnapshot(fixture.collector)
        let wrong = String(csrf.reversed())
        for action in Self.actions(fixture.uuid) + [("/console/logout", [])] {
            #expect(try await admin.post(action.path, action.fields, csrf: nil).status == 403, "\(action.path) without a token")
            #expect(try await admin.post(action.path, action.fields, csrf: wrong).status == 403, "\(action.path) with a wrong token")
        }
        #expect(try DatabaseSnapshot(fixture.collector) == before, "a refused form changed the database")
        // The same forms with the session's token, in an order that keeps
        // each one's target there: every one is done.
        for action in Self.actions(fixture.uuid) {
            let answer = try await admin.post(action.path, action.fields, csrf: csrf)
            #expect(answer.status == 303, "\(action.path): \(answer.status) \(answer.body.prefix(300))")
        }
        #expect(try await fixture.collector.store.pool(name: "lab") == nil)
        #expect(try await fixture.collector.store.pool(name: "new") != nil)
    }

    @Test func aRemovedUsersSessionAndALoggedOutSessionEndAtOnce() async throws {
        let fixture = try await Fixture.make("console-removed")
        defer { Task { await fixture.collector.stop() } }
        let (viewer, _) = try await fixture.signedIn("vic", Self.viewerPassword)
        #expect(try await viewer.get("/console/statistics").status == 200)
        #expect(try await fixture.collector.store.deleteUser(name: "vic"))
        let after = try await viewer.get("/console/statistics")
        #expect(after.status == 303 && after.headers["location"]?.hasPrefix("/console/login") == true)

        let (admin, csrf) = try await fixture.signedIn("ada", Self.adminPassword)
        guard let secret = admin.cookies["collector_session"] else { throw CLIStyleError("no session cookie") }
        #expect(try await admin.post("/console/logout", [], csrf: csrf).status == 303)
        // The old cookie, sent again as a thief would, opens nothing.
        admin.setCookie("collector_session", secret)
        #expect(try await admin.get("/console/instances").status == 303)
    }

    @Test func theSessionCookieIsHttpOnlyLaxAndScopedToTheConsole() async throws {
        let fixture = try await Fixture.make("console-cookie")
        defer { Task { await fixture.collector.stop() } }
        let browser = ConsoleBrowser(base: fixture.base)
        let answer = try await browser.login("ada", Self.adminPassword)
        let cookie = answer.headers["set-cookie"] ?? ""
        #expect(cookie.contains("collector_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax")
                && cookie.contains("Path=/console"), "\(cookie)")
        #expect(!cookie.contains("Secure"), "plain HTTP on loopback: no Secure flag (\(cookie))")
        let page = try await browser.get("/console/instances")
        // No message yet: the login form shows no empty alert.
        #expect(!(try await ConsoleBrowser(base: fixture.base).get("/console/login")).body.contains("role=\"alert\""))
        let policy = page.headers["content-security-policy"] ?? ""
        #expect(policy.contains("default-src 'none'") && !policy.contains("unsafe-inline"), "\(policy)")
    }

    @Test func failedLoginsAreThrottledPerUserAndPerAddress() async throws {
        var config = RunningCollector.testConfig
        config.console.failedLoginsPerUser = 2
        config.console.failedLoginsPerAddress = 4
        let fixture = try await Fixture.make("console-throttle", config: config)
        defer { Task { await fixture.collector.stop() } }
        let browser = ConsoleBrowser(base: fixture.base)
        for _ in 0..<2 { #expect(try await browser.login("ada", "wrong-password").status == 401) }
        // The right password, once the name is throttled, is refused too:
        // the throttle answers before the password is looked at.
        let throttled = try await browser.login("ada", Self.adminPassword)
        #expect(throttled.status == 429, "\(throttled.status)")
        #expect(Int(throttled.headers["retry-after"] ?? "") ?? 0 > 0)
        #expect(throttled.body.contains("Too many failed logins"))
        // Other names from the same address: the address's allowance runs out.
        #expect(try await browser.login("nobody-1", "wrong-password").status == 401)
        #expect(try await browser.login("nobody-2", "wrong-password").status == 401)
        #expect(try await browser.login("vic", Self.viewerPassword).status == 429, "the address is throttled for every name")
    }

    @Test func hostileTextIsShownAsText() async throws {
        let fixture = try await Fixture.make("console-hostile")
        defer { Task { await fixture.collector.stop() } }
        let (viewer, _) = try await fixture.signedIn("vic", Self.viewerPassword)
        for page in ["/console/instances", "/console/instances/\(fixture.uuid)"] {
            let body = try await viewer.get(page).body
            #expect(!body.contains("<script>alert(1)</script>") && !body.contains("<b>one</b>"), "\(page) has the markup unescaped")
            #expect(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(page) does not show the contact as text")
        }
    }

    @Test func loginSendsOnlyToConsolePages() async throws {
        let fixture = try await Fixture.make("console-next")
        defer { Task { await fixture.collector.stop() } }
        let browser = ConsoleBrowser(base: fixture.base)
        let form = try await browser.get("/console/login")
        let answer = try await browser.post("/console/login", [("name", "vic"), ("password", Self.viewerPassword),
                                                               ("next", "//evil.example.org/console/")],
                                            csrf: ConsoleBrowser.csrf(in: form.body))
        #expect(answer.status == 303 && answer.headers["location"] == "/console/instances", "\(answer.headers["location"] ?? "-")")
        // A login posted without the form's own token is a forgery.
        browser.forget("collector_login")
        let forged = try await browser.post("/console/login", [("name", "vic"), ("password", Self.viewerPassword)], csrf: "00")
        #expect(forged.status == 403)
    }
}
