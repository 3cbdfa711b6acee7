import CMalloc
import ServiceLifecycle

/// Gives freed heap back to the system at a steady pace. glibc returns
/// memory from the top of each arena only, so after a burst (10,000 agent
/// streams opened and closed, a compaction of older chunks) most of what
/// was freed stays resident until something trims. Trimming after each
/// piece of work cost `/write` 40 % of its rate (every round took the
/// arenas' locks), so this trims on a clock instead, once every `interval`.
public struct HeapTrimmer: Service {
    let interval: Duration

    public init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    public func run() async throws {
        try await untilGracefulShutdown {
            while true {
                try await Task.sleep(for: interval)
                _ = malloc_trim(0)
            }
        }
    }
}
