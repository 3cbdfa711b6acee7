import CollectorModel
import Crawling

/// `inputs.crawl`: the application's JSON endpoints, fetched every interval.
public struct CrawlConfig: InputConfig {
    public var enabled = false
    public var interval = ConfigDurationValue(.seconds(3600))
    public var timeout = ConfigDurationValue(.seconds(30))
    /// The application's base URL; `nil` uses the instance's URL.
    public var baseURL: String?
    public var endpoints: [CrawlEndpoint] = [.systemInfo]
    public var maxRedirects = 5
    public var maxResponseBytes = ByteCount(1 << 20)

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, interval, timeout, baseURL = "base_url", endpoints, maxRedirects = "max_redirects"
        case maxResponseBytes = "max_response_bytes"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
        interval = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .interval) ?? interval
        timeout = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .timeout) ?? timeout
        baseURL = try c.decodeIfPresent(String.self, forKey: .baseURL)
        endpoints = try c.decodeIfPresent([CrawlEndpoint].self, forKey: .endpoints) ?? endpoints
        maxRedirects = try c.decodeIfPresent(Int.self, forKey: .maxRedirects) ?? maxRedirects
        maxResponseBytes = try c.decodeIfPresent(ByteCount.self, forKey: .maxResponseBytes) ?? maxResponseBytes
        guard interval.duration >= .seconds(1) else { throw ConfigError("inputs.crawl.interval must be at least 1s") }
        _ = try settings.validated(section: "inputs.crawl")
        if let baseURL {
            do {
                self.baseURL = try InstanceInfo.validated(url: baseURL, field: "inputs.crawl.base_url")
            } catch {
                throw ConfigError(error.description)
            }
        }
    }

    var settings: CrawlSettings {
        CrawlSettings(endpoints: endpoints, timeout: timeout.duration, maxRedirects: maxRedirects, maxResponseBytes: maxResponseBytes.bytes)
    }
}
