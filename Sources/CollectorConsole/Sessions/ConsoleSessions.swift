import CollectorModel
import CollectorStore
import Foundation
import Hummingbird
import Logging

/// Sign-in, sign-out and the session behind a cookie. The cookie holds a
/// random secret; the store holds only its hash, the user, the session's
/// CSRF token and its expiry, so removing a user, changing a password or
/// signing out ends a session at once.
struct ConsoleSessions: Sendable {
    static let cookieName = "collector_session"
    /// Cookies are scoped to the console's pages.
    static let cookiePath = "/console"
    /// Verified for unknown names, so they take as long as known ones.
    static let unknownUserHash = "pbkdf2-sha256$\(PasswordHash.rounds)$00000000000000000000000000000000$00"

    let store: any Store
    let settings: ConsoleSettings
    let throttle: LoginThrottle
    let logger: Logger

    init(store: any Store, settings: ConsoleSettings, logger: Logger) {
        self.store = store
        self.settings = settings
        throttle = LoginThrottle(settings: settings)
        self.logger = logger
    }

    enum LoginOutcome: Sendable {
        case signedIn(secret: String)
        case refused
        case throttled(Duration)
    }

    func login(name: String, password: String, address: String) async throws -> LoginOutcome {
        if let wait = throttle.wait(user: name, address: address) {
            logger.notice("console login throttled", metadata: ["user": "\(name.prefix(64))", "peer": "\(address)"])
            return .throttled(wait)
        }
        let user = try await store.user(name: name)
        let matches = try await PasswordHash.verify(password, against: user?.passwordHash ?? Self.unknownUserHash)
        guard let user, matches else {
            throttle.failed(user: name, address: address)
            logger.notice("console login refused", metadata: ["user": "\(name.prefix(64))", "peer": "\(address)"])
            return .refused
        }
        let secret = randomHex(bytes: 32)
        let now = Date()
        try await store.insertSession(SessionRecord(idHash: TokenSecret.hash(of: secret), userName: user.name, csrfToken: randomHex(bytes: 32),
                                                    created: now, expires: now.addingTimeInterval(settings.sessionLifetime.seconds)))
        // Expired sessions are swept at sign-in: the table stays as small as
        // the number of people signed in.
        _ = try? await store.deleteExpiredSessions(before: now)
        logger.info("console login", metadata: ["user": "\(user.name)", "role": "\(user.role.rawValue)", "peer": "\(address)"])
        return .signedIn(secret: secret)
    }

    func signedIn(secret: String) async throws -> SignedIn? {
        guard secret.utf8.count == 64, secret.utf8.allSatisfy({ Hex.isDigit($0) }) else { return nil }
        guard let (session, user) = try await store.session(idHash: TokenSecret.hash(of: secret), at: Date()) else { return nil }
        return SignedIn(user: user, session: session)
    }

    func logout(_ signedIn: SignedIn) async throws {
        try await store.deleteSession(idHash: signedIn.session.idHash)
        logger.info("console logout", metadata: ["user": "\(signedIn.user.name)"])
    }

    func cookie(secret: String) -> Cookie {
        Cookie(name: Self.cookieName, value: secret, maxAge: Int(settings.sessionLifetime.seconds), path: Self.cookiePath,
               secure: settings.secureCookies, httpOnly: true, sameSite: .lax)
    }

    var expiredCookie: Cookie {
        Cookie(name: Self.cookieName, value: "", maxAge: 0, path: Self.cookiePath, secure: settings.secureCookies, httpOnly: true, sameSite: .lax)
    }
}

extension Hex {
    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
