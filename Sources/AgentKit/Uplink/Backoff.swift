import CollectorModel

/// Exponential backoff with full jitter: each wait is random in
/// [0, min(max, initial * 2^attempt)], so agents that lost the collector
/// together do not all come back in the same instant.
struct Backoff: Sendable {
    let initial: Duration
    let maximum: Duration
    private(set) var attempt = 0

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    mutating func next() -> Duration {
        let ceiling = min(maximum.seconds, initial.seconds * Double(1 << min(attempt, 30)))
        attempt += 1
        return .milliseconds(Int64(Double.random(in: 0...ceiling) * 1000))
    }

    mutating func reset() { attempt = 0 }
}
