import CollectorModel
import CollectorStore
import Foundation
import Logging
import ServiceLifecycle
import ServiceSupport

/// Crawls what is due and locates what is unlocated, every minute (or
/// every crawl interval, when that is shorter). Due-based rather than a
/// fixed daily run: a restart does not crawl everything again, and a new
/// instance is crawled within a tick.
///
/// Collectors sharing one PostgreSQL schedule on one of them at a time:
/// the one holding the `crawl-scheduler` lease, renewed every tick; when
/// it dies, another takes over once the lease runs out.
struct CrawlScheduler: Service {
    let crawling: InstanceCrawling
    let leases: any LeaseStore
    let logger: Logger
    static let lease = "crawl-scheduler"

    func run() async throws {
        try await untilGracefulShutdown {
            while true {
                // Read each time: a reload may have changed the interval.
                let tick = min(crawling.settings.interval.duration, .seconds(60))
                do {
                    // Held past the tick, so a crawl that runs long keeps it.
                    if try await leases.acquireLease(Self.lease, holder: leases.leaseHolder, for: tick * 3) {
                        try await crawling.locateCountries()
                        _ = try await crawling.crawl(uuid: nil, dueOnly: true)
                    }
                } catch let error where !(error is CancellationError) {
                    logger.error("scheduled crawl failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: tick)
            }
        }
    }
}
