import Foundation

/// How the console runs: cookie flags, session lifetime and the login
/// throttle (`console:` in the collector's configuration).
public struct ConsoleSettings: Sendable {
    /// Served over TLS: cookies are `Secure`.
    public var secureCookies: Bool
    public var sessionLifetime: Duration
    /// Failed logins one user name may take at once; one more a minute after.
    public var failedLoginsPerUser: Int
    /// Failed logins one source address may make at once; refills per minute.
    public var failedLoginsPerAddress: Int

    public init(secureCookies: Bool, sessionLifetime: Duration = .seconds(12 * 3600), failedLoginsPerUser: Int = 5,
                failedLoginsPerAddress: Int = 20) {
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.failedLoginsPerUser = failedLoginsPerUser
        self.failedLoginsPerAddress = failedLoginsPerAddress
    }
}
