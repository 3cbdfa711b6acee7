/// Runs jobs one at a time, in the order they ask: the series maintenance
/// (compaction, retention, the upgrade) each read chunks outside the write
/// transaction that changes them, which is safe only if none runs beside
/// another.
actor SerialJobs {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ job: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await job()
    }
}
