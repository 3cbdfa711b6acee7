import Synchronization

/// The configuration a running collector uses now. Components that can
/// follow a reload read it when they act, instead of keeping a copy from
/// start-up.
public final class LiveConfig: Sendable {
    private let current: Mutex<CollectorConfig>

    public init(_ config: CollectorConfig) {
        current = Mutex(config)
    }

    public var value: CollectorConfig {
        current.withLock { $0 }
    }

    func set(_ config: CollectorConfig) {
        current.withLock { $0 = config }
    }
}
