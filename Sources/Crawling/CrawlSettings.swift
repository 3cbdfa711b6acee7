import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How instances are fetched: the same for the collector's crawl of
/// agentless instances and an agent's crawl of the application beside it.
public struct CrawlSettings: Sendable, Equatable {
    public var endpoints: [CrawlEndpoint]
    /// For each request, from connect to the last body byte.
    public var timeout: Duration
    public var maxRedirects: Int
    /// A larger answer is refused as `too_large`, not read into memory.
    public var maxResponseBytes: Int
    /// Requests in flight at once; also the connections allowed to one
    /// host, since many instances may share a server.
    public var concurrency: Int

    public init(endpoints: [CrawlEndpoint] = [.systemInfo], timeout: Duration = .seconds(30), maxRedirects: Int = 5,
                maxResponseBytes: Int = 1 << 20, concurrency: Int = 32) {
        self.endpoints = endpoints
        self.timeout = timeout
        self.maxRedirects = maxRedirects
        self.maxResponseBytes = maxResponseBytes
        self.concurrency = concurrency
    }
}

extension CrawlSettings {
    /// The bounds both the collector's `crawl:` and the agent's
    /// `inputs.crawl:` keep; `section` names the config section in errors.
    public func validated(section: String) throws -> CrawlSettings {
        guard timeout >= .milliseconds(10) else { throw ConfigError("\(section).timeout must be at least 10ms") }
        guard !endpoints.isEmpty else { throw ConfigError("\(section).endpoints must name at least one endpoint") }
        guard (0...20).contains(maxRedirects) else { throw ConfigError("\(section).max_redirects must be 0...20") }
        return self
    }
}
