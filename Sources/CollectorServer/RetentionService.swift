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
        do {
            let removed = try await store.expire(retention.retention.cutoffs(now: now), chunk: 5000)
            if removed > 0 { logger.info("expired old points and rollups", metadata: ["rows": "\(removed)"]) }
        } catch {
            logger.warning("retention pass failed; retrying next interval", metadata: ["error": "\(error)"])
        }
    }
}
