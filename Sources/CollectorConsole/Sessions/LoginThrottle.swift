import Foundation
import ServiceSupport

/// Failed logins, limited per user name and per source address, so that
/// guessing a password costs an attacker time whichever they vary. Only
/// failures are charged: a person who types the password right is never
/// slowed, and a throttled attempt is refused before the slow hash runs.
struct LoginThrottle: Sendable {
    let perUser: RateLimiter
    let perAddress: RateLimiter

    init(settings: ConsoleSettings) {
        perUser = RateLimiter(perMinute: 1, burst: max(1, settings.failedLoginsPerUser))
        perAddress = RateLimiter(perMinute: max(1, settings.failedLoginsPerAddress / 4), burst: max(1, settings.failedLoginsPerAddress))
    }

    /// How long to wait before another attempt, or nil to go on.
    func wait(user: String, address: String) -> Duration? {
        [perUser.wait(user.lowercased()), perAddress.wait(address)].compactMap { $0 }.max()
    }

    func failed(user: String, address: String) {
        _ = perUser.admit(user.lowercased())
        _ = perAddress.admit(address)
    }
}
