import CollectorModel
import Crawling
import Foundation
import Logging

/// Crawls the application beside the agent every interval, once the
/// collector has given its instance a uuid, and hands the sample to the
/// batch builder: crawls travel like everything else, acknowledged.
struct CrawlInput: Sendable {
    let config: CrawlConfig
    let instance: InstanceInfo?
    let state: AgentState
    let builder: BatchBuilder
    let metrics: AgentMetrics
    let logger: Logger

    func run() async throws {
        guard let baseURL = config.baseURL ?? instance?.url else {
            logger.warning("inputs.crawl is enabled but there is no instance.url or inputs.crawl.base_url: not crawling")
            return
        }
        let crawler = InstanceCrawler(settings: config.settings)
        do {
            try await crawlEvery(config.interval.duration, baseURL: baseURL, crawler: crawler)
        } catch {
            await crawler.shutdown()
            throw error
        }
        await crawler.shutdown()
    }

    private func crawlEvery(_ interval: Duration, baseURL: String, crawler: InstanceCrawler) async throws {
        while true {
            guard let uuid = state.registeredInstance()?.uuid else {
                // Not registered yet: the uuid comes with the first connection.
                try await Task.sleep(for: .seconds(1))
                continue
            }
            let sample = await crawler.crawl(instance: uuid, baseURL: baseURL)
            metrics.crawled(sample.outcome.result)
            if !sample.outcome.succeeded {
                logger.warning("crawl failed", metadata: ["result": "\(sample.outcome.result)", "detail": "\(sample.outcome.detail)"])
            }
            try await builder.add(sample)
            try await Task.sleep(for: interval)
        }
    }
}
