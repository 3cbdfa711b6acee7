import CollectorModel
import Crawling
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// Crawls the application beside the agent every interval, once the
/// collector has given its instance a uuid, and hands the sample to the
/// sink: crawls travel like everything else, acknowledged.
public struct CrawlInput: AgentInput {
    public static let name = "crawl"
    public static let sampleConfig = """
        # The crawl input: the agent fetches the JSON endpoints of the application
        # it sits beside and pushes the merged document as a crawl sample through the
        # normal acknowledged batches. This section goes under `inputs:` in
        # collector-agent.yaml; every key is optional and shown with its default.
        crawl:
          enabled: false
          interval: 1h          # how often to crawl (at least 1s); the first crawl runs once the agent is registered
          timeout: 30s          # per request, from connect to the last body byte
          base_url: null        # the application's base URL; null uses instance.url
          endpoints:            # each path is appended to the base URL; a full URL is used as it is
            - path: /system-info
              headers: {Accept: application/json}
          max_redirects: 5
          max_response_bytes: 1MiB   # a larger answer is recorded as too_large, and the last good document stays
        """

    let config: CrawlConfig
    let context: InputContext

    public init(config: CrawlConfig, context: InputContext) {
        self.config = config
        self.context = context
    }

    public func run(sink: BatchBuilder) async throws {
        guard let baseURL = config.baseURL ?? context.instance?.url else {
            context.logger.warning("inputs.crawl is enabled but there is no instance.url or inputs.crawl.base_url: not crawling")
            return
        }
        let crawler = InstanceCrawler(settings: config.settings)
        do {
            try await crawlEvery(config.interval.duration, baseURL: baseURL, crawler: crawler, sink: sink)
        } catch {
            await crawler.shutdown()
            throw error
        }
        await crawler.shutdown()
    }

    private func crawlEvery(_ interval: Duration, baseURL: String, crawler: InstanceCrawler, sink: BatchBuilder) async throws {
        while true {
            guard let uuid = context.state.registeredInstance()?.uuid else {
                // Not registered yet: the uuid comes with the first connection.
                try await Task.sleep(for: .seconds(1))
                continue
            }
            let sample = await crawler.crawl(instance: uuid, baseURL: baseURL)
            context.metrics.crawled(sample.outcome.result)
            if !sample.outcome.succeeded {
                context.logger.warning("crawl failed", metadata: ["result": "\(sample.outcome.result)", "detail": "\(sample.outcome.detail)"])
            }
            try await sink.add(sample)
            try await Task.sleep(for: interval)
        }
    }
}
