import CollectorModel
import CollectorStore
import Foundation
import Logging
import ServiceLifecycle
import ServiceSupport

/// Expires raw points and rollups past their retention, every interval,
/// in small transactions so ingest never waits long behind it.
struct RetentionService: Service {
    let store: any Store
    let retention: CollectorConfig.RetentionSection
    let logger: Logger

    func run() async throws {
        try await untilGracefulShutdown {
            while true {
                await expireOnce(now: Date())
                try await Task.sleep(for: retention.interval.duration)
            }
        }
    }

    func expireOnce(now: Date) async {
        func cut(_ value: ConfigDurationValue?) -> Date? { value.map { now.addingTimeInterval(-$0.duration.seconds) } }
        var rollups: [RollupLevel: Date] = [:]
        rollups[.minute] = cut(retention.minute)
        rollups[.hour] = cut(retention.hour)
        rollups[.day] = cut(retention.day)
        do {
            let removed = try await store.expire(rawBefore: cut(retention.raw), rollupsBefore: rollups, chunk: 5000)
            if removed > 0 { logger.info("expired old points and rollups", metadata: ["rows": "\(removed)"]) }
        } catch {
            logger.warning("retention pass failed; retrying next interval", metadata: ["error": "\(error)"])
        }
    }
}
