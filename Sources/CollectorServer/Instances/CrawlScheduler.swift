import CollectorModel
import Foundation
import Logging
import ServiceLifecycle
import ServiceSupport

/// Crawls what is due and locates what is unlocated, every minute (or
/// every crawl interval, when that is shorter). Due-based rather than a
/// fixed daily run: a restart does not crawl everything again, and a new
/// instance is crawled within a tick.
struct CrawlScheduler: Service {
    let crawling: InstanceCrawling
    let logger: Logger

    func run() async throws {
        try await untilGracefulShutdown {
            while true {
                do {
                    try await crawling.locateCountries()
                    _ = try await crawling.crawl(uuid: nil, dueOnly: true)
                } catch let error where !(error is CancellationError) {
                    logger.error("scheduled crawl failed", metadata: ["error": "\(error)"])
                }
                // Read each time: a reload may have changed the interval.
                try await Task.sleep(for: min(crawling.settings.interval.duration, .seconds(60)))
            }
        }
    }
}
