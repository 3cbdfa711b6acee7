#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One endpoint crawled on every instance: a path appended to the
/// instance's base URL (or a whole URL), with its own request headers.
public struct CrawlEndpoint: Codable, Sendable, Equatable {
    public var path: String
    public var headers: [String: String]

    public init(path: String, headers: [String: String] = [:]) {
        self.path = path
        self.headers = headers
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case path, headers }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        guard !path.isEmpty else { throw ConfigError("crawl endpoint path must not be empty") }
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }),
                  !value.contains("\r"), !value.contains("\n")
            else { throw ConfigError("crawl endpoint header '\(name)' is not a valid HTTP header") }
        }
    }

    /// The URL to fetch for an instance: the seeds append the path to the
    /// base URL; a path that is a URL of its own is used as it is.
    public func url(base: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        return InstanceInfo.normalise(url: base) + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// Indico's endpoint, the seeds' default.
    public static let systemInfo = CrawlEndpoint(path: "/system-info", headers: ["Accept": "application/json"])
}

/// An instance to crawl or to locate: its uuid and base URL.
public struct CrawlTarget: Sendable, Equatable {
    public var uuid: UUID
    public var url: String

    public init(uuid: UUID, url: String) {
        self.uuid = uuid
        self.url = url
    }
}

/// What one crawl of one instance produced: the outcome and, when every
/// endpoint answered with a JSON object, their merged document.
public struct CrawlSample: Sendable, Equatable {
    public var instanceUUID: UUID
    public var outcome: CrawlOutcome
    /// Present only when the outcome is `ok`.
    public var document: [String: JSONValue]?

    public init(instanceUUID: UUID, outcome: CrawlOutcome, document: [String: JSONValue]?) {
        self.instanceUUID = instanceUUID
        self.outcome = outcome
        self.document = document
    }

    /// Crawled numbers become series points (`crawl`, `<uuid>.<path>`), so
    /// their history aggregates like any other series.
    public var seriesPoints: [SeriesPoint] {
        guard let document else { return [] }
        let prefix = instanceUUID.uuidString.lowercased()
        return JSONValue.numericLeaves(of: document).map {
            SeriesPoint(namespace: "crawl", name: "\(prefix).\($0.path)", time: outcome.time, value: $0.value)
        }
    }
}

extension CrawlOutcome {
    /// The results a crawl can have.
    public enum Result: String, Sendable, CaseIterable {
        case ok
        case httpStatus = "http_status"
        case timeout
        case badJSON = "bad_json"
        case tooLarge = "too_large"
        case refused
        case error
    }

    public var succeeded: Bool { result == Result.ok.rawValue }
}
