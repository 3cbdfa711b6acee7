#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// A token bucket per key — a source address for routes that take no
/// token, a token id for those that do: each key may make `burst` requests
/// at once and `perMinute` over time.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let perMinute: Int
    let burst: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(perMinute: Int, burst: Int) {
        self.perMinute = perMinute
        self.burst = burst
    }

    /// True when the request may go on; nil when it should wait, with how long.
    public func admit(_ source: String, now: ContinuousClock.Instant = .now) -> Duration? {
        buckets.withLock { buckets in
            // Forget keys that have refilled, so the table stays small.
            if buckets.count > 10_000 {
                buckets = buckets.filter { now - $0.value.updated < .seconds(60 * Double(burst) / Double(perMinute)) }
            }
            var bucket = buckets[source] ?? Bucket(tokens: Double(burst), updated: now)
            let elapsed = (now - bucket.updated) / .seconds(1)
            bucket.tokens = min(Double(burst), bucket.tokens + elapsed * Double(perMinute) / 60)
            bucket.updated = now
            defer { buckets[source] = bucket }
            guard bucket.tokens >= 1 else {
                return .seconds((1 - bucket.tokens) * 60 / Double(perMinute))
            }
            bucket.tokens -= 1
            return nil
        }
    }

    /// How long `source` must wait before `admit` would let it through, or
    /// nil when it may go on now; takes nothing from its bucket (the
    /// console's login throttle charges failures only).
    public func wait(_ source: String, now: ContinuousClock.Instant = .now) -> Duration? {
        buckets.withLock { buckets in
            guard let bucket = buckets[source] else { return nil }
            let elapsed = (now - bucket.updated) / .seconds(1)
            let tokens = min(Double(burst), bucket.tokens + elapsed * Double(perMinute) / 60)
            return tokens >= 1 ? nil : .seconds((1 - tokens) * 60 / Double(perMinute))
        }
    }
}
