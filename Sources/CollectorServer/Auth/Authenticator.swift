import CollectorModel
import CollectorStore
import Foundation
import Logging
import ServiceSupport
import Synchronization

/// Turns a presented token into a principal: parse, look up by id, compare
/// the secret's hash in constant time, refuse revoked tokens.
public final class Authenticator: Sendable {
    private let store: any TokenStore
    private let logger: Logger
    /// When each token's `last_used` was last written, so a busy token does
    /// not turn every request into a write.
    private let lastUseWritten = Mutex<[String: Date]>([:])
    /// Requests per token: one runaway client cannot starve the others.
    private let limiter: RateLimiter?
    /// Tokens found recently, so a busy client is not a database read per
    /// request. A revocation through this collector empties it at once;
    /// one through another collector sharing the store counts after `cacheLife`.
    private let cache = Mutex<[String: (record: TokenRecord, until: ContinuousClock.Instant)]>([:])
    static let cacheLife: Duration = .seconds(2)

    public init(store: any TokenStore, logger: Logger, limiter: RateLimiter? = nil) {
        self.store = store
        self.logger = logger
        self.limiter = limiter
    }

    /// Authenticates the value of an `authorization` header (`Bearer x`,
    /// `Token x` or a bare token).
    public func authenticate(authorization: String?) async throws -> Principal {
        guard let authorization, !authorization.isEmpty else { throw AuthFailure.missing }
        let presented = Self.credential(from: authorization)
        guard (8...1024).contains(presented.utf8.count) else { throw AuthFailure.malformed }
        let token = TokenSecret.presented(presented)
        guard let record = try await record(id: token.id), token.matches(storedHash: record.secretHash) else {
            throw AuthFailure.unknown
        }
        guard record.revoked == nil else { throw AuthFailure.revoked }
        if let expires = record.expires, expires <= Date() { throw AuthFailure.expired }
        if let wait = limiter?.admit(record.id) { throw AuthFailure.rateLimited(retryAfter: wait) }
        await noteUse(of: record.id)
        return Principal(tokenID: record.id, tokenName: record.name, scopes: record.scopes, site: record.site)
    }

    public func authenticate(authorization: String?, requiring scope: Scope) async throws -> Principal {
        let principal = try await authenticate(authorization: authorization)
        guard principal.has(scope) else { throw AuthFailure.missingScope(scope) }
        return principal
    }

    private func record(id: String) async throws -> TokenRecord? {
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0[id] }), cached.until > now { return cached.record }
        guard let record = try await store.token(id: id) else { return nil }
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[id] = (record, now + Self.cacheLife)
        }
        return record
    }

    /// After a revocation: the next request of every token reads the store.
    public func forgetCachedTokens() {
        cache.withLock { $0.removeAll() }
    }

    static func credential(from header: String) -> String {
        let trimmed = header.trimmingWhitespace()
        let start = trimmed.prefix(7).lowercased()
        for scheme in ["bearer ", "token "] where start.hasPrefix(scheme) {
            return String(trimmed.dropFirst(scheme.count)).trimmingWhitespace()
        }
        return trimmed
    }

    private func noteUse(of id: String) async {
        let now = Date()
        let due = lastUseWritten.withLock { written in
            if let last = written[id], now.timeIntervalSince(last) < 60 { return false }
            written[id] = now
            return true
        }
        guard due else { return }
        do {
            try await store.noteTokenUsed(id: id, at: now)
        } catch {
            logger.warning("could not record token use", metadata: ["token_id": "\(id)", "error": "\(error)"])
        }
    }
}
