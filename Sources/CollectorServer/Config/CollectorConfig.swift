import CollectorModel
import CollectorStore
import CollectorWire
import Crawling
import Foundation
import Logging

/// The collector's configuration file (`collector serve --config FILE`).
/// Every key is optional; unknown keys are errors.
public struct CollectorConfig: Codable, Sendable, Equatable {
    public var dataDir: String?
    /// Where the data lives: nil (or `sqlite`) for the SQLite file in the
    /// data directory, or the URL of a PostgreSQL shared by any number of
    /// collectors (`postgres://user@host:5432/db?sslmode=verify-full`),
    /// checked when the file is read.
    public var store: String?

    /// The PostgreSQL store, when `store` names one.
    public var storeLocation: PostgresLocation? {
        store.flatMap { try? PostgresLocation(url: $0) }
    }
    /// The PostgreSQL password, read from this file; without it, from
    /// `COLLECTOR_STORE_PASSWORD`. Never in the URL.
    public var storePasswordFile: String?
    public var grpc: GRPCSection
    public var http: HTTPSection
    public var tls: TLSSection
    public var limits: LimitsSection
    public var retention: RetentionSection
    public var crawl: CrawlSection
    public var pools: PoolsSection
    public var console: ConsoleSection
    public var logLevel: String
    /// The CPU slice each of the collector's threads asks the kernel for, in
    /// microseconds (0: the kernel's default). See `SchedulerSlice`.
    public var schedulerSliceMicroseconds: Int

    /// Environment variables that override the file: `COLLECTOR_LOG_LEVEL`,
    /// `COLLECTOR_CRAWL__INTERVAL`.
    public static let environmentPrefix = "COLLECTOR_"
    /// Variables with our prefix that belong to the agent and to
    /// collectorctl, which an operator's shell may well have set (the last
    /// two are the HTTP bases scripts/run-dev exports for curl).
    /// `COLLECTOR_STORE_PASSWORD` is the store's password, not a key.
    public static let foreignVariables = ["COLLECTOR_AGENT_", "COLLECTOR_SERVER", "COLLECTOR_CA", "COLLECTOR_TOKEN",
                                          "COLLECTOR_URL", "COLLECTOR_INTAKE_URL", PostgresPassword.environmentVariable]

    /// The file (or the defaults, without one) with this process's
    /// environment overrides applied.
    public static func load(from path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CollectorConfig {
        try ConfigFile.loadOrDefaults(CollectorConfig.self, from: path,
                            environment: ConfigEnvironment(environment, prefix: environmentPrefix, ignoring: foreignVariables))
    }

    public init() {
        dataDir = nil
        store = nil
        storePasswordFile = nil
        grpc = GRPCSection()
        http = HTTPSection()
        tls = TLSSection()
        limits = LimitsSection()
        retention = RetentionSection()
        crawl = CrawlSection()
        pools = PoolsSection()
        console = ConsoleSection()
        logLevel = "info"
        schedulerSliceMicroseconds = 200
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dataDir = "data_dir", store, storePasswordFile = "store_password_file", grpc, http, tls, limits, retention, crawl, pools, console, logLevel = "log_level"
        case schedulerSliceMicroseconds = "scheduler_slice_us"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = CollectorConfig()
        dataDir = try c.decodeIfPresent(String.self, forKey: .dataDir)
        // `sqlite` (or no key) keeps the embedded default.
        if let url = try c.decodeIfPresent(String.self, forKey: .store), url != "sqlite" {
            do {
                _ = try PostgresLocation(url: url)
            } catch {
                throw ConfigError("\(error)")
            }
            store = url
        } else {
            store = nil
        }
        storePasswordFile = try c.decodeIfPresent(String.self, forKey: .storePasswordFile)
        grpc = try c.decodeIfPresent(GRPCSection.self, forKey: .grpc) ?? defaults.grpc
        http = try c.decodeIfPresent(HTTPSection.self, forKey: .http) ?? defaults.http
        tls = try c.decodeIfPresent(TLSSection.self, forKey: .tls) ?? defaults.tls
        limits = try c.decodeIfPresent(LimitsSection.self, forKey: .limits) ?? defaults.limits
        retention = try c.decodeIfPresent(RetentionSection.self, forKey: .retention) ?? defaults.retention
        crawl = try c.decodeIfPresent(CrawlSection.self, forKey: .crawl) ?? defaults.crawl
        pools = try c.decodeIfPresent(PoolsSection.self, forKey: .pools) ?? defaults.pools
        console = try c.decodeIfPresent(ConsoleSection.self, forKey: .console) ?? defaults.console
        logLevel = try c.decodeIfPresent(String.self, forKey: .logLevel) ?? defaults.logLevel
        try LogLevelName.validate(logLevel)
        schedulerSliceMicroseconds = try c.decodeIfPresent(Int.self, forKey: .schedulerSliceMicroseconds) ?? defaults.schedulerSliceMicroseconds
        guard schedulerSliceMicroseconds == 0 || (100...100_000).contains(schedulerSliceMicroseconds) else {
            throw ConfigError("scheduler_slice_us must be 0 (the kernel's default) or 100...100000")
        }
    }

    public struct GRPCSection: Codable, Sendable, Equatable {
        public var listen: String = "127.0.0.1:7443"
        public init() {}
        enum CodingKeys: String, CodingKey, CaseIterable { case listen }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            listen = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .listen) ?? listen
        }
    }

    public struct HTTPSection: Codable, Sendable, Equatable {
        public var listen: String = "127.0.0.1:8080"
        /// The legacy instance API takes no token: each source address may
        /// make this many requests a minute, and `instance_api_burst` at once.
        public var instanceAPIPerMinute = 60
        public var instanceAPIBurst = 30
        /// Serve the HTTP port (console and legacy bridge) over TLS with the
        /// gRPC port's certificate.
        public var tls = false
        public init() {}
        enum CodingKeys: String, CodingKey, CaseIterable {
            case listen, instanceAPIPerMinute = "instance_api_per_minute", instanceAPIBurst = "instance_api_burst", tls
        }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            listen = try c.decodeIfPresent(String.self, forKey: .listen) ?? listen
            instanceAPIPerMinute = try c.decodeIfPresent(Int.self, forKey: .instanceAPIPerMinute) ?? instanceAPIPerMinute
            instanceAPIBurst = try c.decodeIfPresent(Int.self, forKey: .instanceAPIBurst) ?? instanceAPIBurst
            tls = try c.decodeIfPresent(Bool.self, forKey: .tls) ?? tls
            guard instanceAPIPerMinute >= 1, instanceAPIBurst >= 1 else {
                throw ConfigError("http.instance_api_per_minute and http.instance_api_burst must be at least 1")
            }
        }
    }

    /// Without `certificate` and `key`, a development CA and certificate are
    /// created in the data directory.
    public struct TLSSection: Codable, Sendable, Equatable {
        public var certificate: String?
        public var key: String?
        /// When set, clients must present a certificate signed by this CA.
        public var clientCA: String?
        public init() {}
        enum CodingKeys: String, CodingKey, CaseIterable { case certificate, key, clientCA = "client_ca" }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            certificate = try c.decodeIfPresent(String.self, forKey: .certificate)
            key = try c.decodeIfPresent(String.self, forKey: .key)
            clientCA = try c.decodeIfPresent(String.self, forKey: .clientCA)
            guard (certificate == nil) == (key == nil) else {
                throw ConfigError("tls.certificate and tls.key must be given together")
            }
        }
    }

    public struct LimitsSection: Codable, Sendable, Equatable {
        /// How old a time may be: the longest retention of any level, nil
        /// when a level keeps everything. Set from `retention` by the
        /// application, not read from this section.
        var maxAge: TimeInterval?

        /// The rules every door checks records by.
        var ingestRules: IngestRules {
            IngestRules(maxFutureSkew: maxFutureSkew.duration.seconds, maxAge: maxAge)
        }

        var legacyRules: LegacyEventBody.Rules {
            var rules = LegacyEventBody.Rules()
            rules.ingest = ingestRules
            rules.maxBodyBytes = maxMessageBytes
            return rules
        }

        var wireLimits: WireLimits {
            WireLimits(maxBatchItems: maxBatchItems, rules: ingestRules)
        }

        /// Largest gRPC message accepted, in bytes.
        public var maxMessageBytes: Int = 4 << 20
        /// Batches a stream may have received but not yet acknowledged.
        public var maxInFlight: Int = 8
        /// Items (points, samples, events, ...) in one batch.
        public var maxBatchItems: Int = 50_000
        /// How far in the future a timestamp may be before it is refused.
        public var maxFutureSkew = ConfigDurationValue(.seconds(300))
        /// Ingest is refused (RESOURCE_EXHAUSTED, HTTP 507) and /readyz
        /// fails while the data directory's disk has less free than this.
        public var minFreeDisk = ByteCount(64 << 20)
        /// Requests (RPCs, HTTP requests) one token may make a minute, and
        /// at once; over it: RESOURCE_EXHAUSTED or 429 with Retry-After.
        /// A push stream is one request however many batches it carries.
        public var tokenRequestsPerMinute = 120_000
        public var tokenBurst = 5_000
        public init() {}
        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxMessageBytes = "max_message_bytes", maxInFlight = "max_in_flight", maxBatchItems = "max_batch_items"
            case maxFutureSkew = "max_future_skew", minFreeDisk = "min_free_disk"
            case tokenRequestsPerMinute = "token_requests_per_minute", tokenBurst = "token_burst"
        }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxMessageBytes = try c.decodeIfPresent(Int.self, forKey: .maxMessageBytes) ?? maxMessageBytes
            maxInFlight = try c.decodeIfPresent(Int.self, forKey: .maxInFlight) ?? maxInFlight
            maxBatchItems = try c.decodeIfPresent(Int.self, forKey: .maxBatchItems) ?? maxBatchItems
            maxFutureSkew = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .maxFutureSkew) ?? maxFutureSkew
            minFreeDisk = try c.decodeIfPresent(ByteCount.self, forKey: .minFreeDisk) ?? minFreeDisk
            tokenRequestsPerMinute = try c.decodeIfPresent(Int.self, forKey: .tokenRequestsPerMinute) ?? tokenRequestsPerMinute
            tokenBurst = try c.decodeIfPresent(Int.self, forKey: .tokenBurst) ?? tokenBurst
            guard tokenRequestsPerMinute >= 1, tokenBurst >= 1 else {
                throw ConfigError("limits.token_requests_per_minute and limits.token_burst must be at least 1")
            }
            guard (1024...(64 << 20)).contains(maxMessageBytes) else { throw ConfigError("limits.max_message_bytes must be 1024...67108864") }
            guard (1...1024).contains(maxInFlight) else { throw ConfigError("limits.max_in_flight must be 1...1024") }
            guard (1...1_000_000).contains(maxBatchItems) else { throw ConfigError("limits.max_batch_items must be 1...1000000") }
        }
    }

    /// How long raw points and each rollup level are kept; absent keeps
    /// them forever. Expiry runs in the background in small transactions.
    public struct RetentionSection: Codable, Sendable, Equatable {
        public var raw: ConfigDurationValue? = ConfigDurationValue(.seconds(90 * 86400))
        public var minute: ConfigDurationValue? = ConfigDurationValue(.seconds(90 * 86400))
        public var hour: ConfigDurationValue? = ConfigDurationValue(.seconds(3 * 365 * 86400))
        public var day: ConfigDurationValue?
        public var interval = ConfigDurationValue(.seconds(3600))

        public init() {}

        /// The levels' retention as the store and the validators use it.
        public var retention: Retention {
            var rollups: [RollupLevel: TimeInterval] = [:]
            rollups[.minute] = minute?.duration.seconds
            rollups[.hour] = hour?.duration.seconds
            rollups[.day] = day?.duration.seconds
            return Retention(raw: raw?.duration.seconds, rollups: rollups)
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case raw, minute, hour, day, interval }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = RetentionSection()
            func keep(_ key: CodingKeys, _ fallback: ConfigDurationValue?) throws -> ConfigDurationValue? {
                guard c.contains(key) else { return fallback }
                if try c.decodeNil(forKey: key) { return nil }
                return try c.decode(ConfigDurationValue.self, forKey: key)
            }
            raw = try keep(.raw, defaults.raw)
            minute = try keep(.minute, defaults.minute)
            hour = try keep(.hour, defaults.hour)
            day = try keep(.day, defaults.day)
            interval = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .interval) ?? defaults.interval
            guard interval.duration >= .seconds(1) else { throw ConfigError("retention.interval must be at least 1s") }
        }
    }

    /// The collector's crawl of instances that registered over HTTP and have
    /// no agent, how crawled fields are shown, and where countries come from.
    public struct CrawlSection: Codable, Sendable, Equatable {
        /// An instance is crawled again once its last crawl is this old.
        public var interval = ConfigDurationValue(.seconds(86400))
        public var timeout = ConfigDurationValue(.seconds(30))
        public var concurrency = 32
        public var endpoints: [CrawlEndpoint] = [.systemInfo]
        public var fields = CrawledFieldSettings()
        public var maxRedirects = 5
        public var maxResponseBytes = ByteCount(1 << 20)
        /// tor-geoipdb's range files; absent means Debian's paths when
        /// present, empty means no lookups for that family.
        public var geoipIPv4: String?
        public var geoipIPv6: String?
        /// A MaxMind or DB-IP country `.mmdb` file, used instead of the ranges.
        public var mmdb: String?

        public static let torGeoIPv4 = "/usr/share/tor/geoip"
        public static let torGeoIPv6 = "/usr/share/tor/geoip6"

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case interval, timeout, concurrency, endpoints, fields, maxRedirects = "max_redirects"
            case maxResponseBytes = "max_response_bytes", geoipIPv4 = "geoip_ipv4", geoipIPv6 = "geoip_ipv6", mmdb
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = CrawlSection()
            interval = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .interval) ?? defaults.interval
            timeout = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .timeout) ?? defaults.timeout
            concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency) ?? defaults.concurrency
            endpoints = try c.decodeIfPresent([CrawlEndpoint].self, forKey: .endpoints) ?? defaults.endpoints
            fields = try c.decodeIfPresent(CrawledFieldSettings.self, forKey: .fields) ?? defaults.fields
            maxRedirects = try c.decodeIfPresent(Int.self, forKey: .maxRedirects) ?? defaults.maxRedirects
            maxResponseBytes = try c.decodeIfPresent(ByteCount.self, forKey: .maxResponseBytes) ?? defaults.maxResponseBytes
            geoipIPv4 = try c.decodeIfPresent(String.self, forKey: .geoipIPv4)
            geoipIPv6 = try c.decodeIfPresent(String.self, forKey: .geoipIPv6)
            mmdb = try c.decodeIfPresent(String.self, forKey: .mmdb)
            guard interval.duration >= .seconds(1) else { throw ConfigError("crawl.interval must be at least 1s") }
            guard (1...1024).contains(concurrency) else { throw ConfigError("crawl.concurrency must be 1...1024") }
            _ = try settings.validated(section: "crawl")
        }

        public var settings: CrawlSettings {
            CrawlSettings(endpoints: endpoints, timeout: timeout.duration, maxRedirects: maxRedirects,
                          maxResponseBytes: maxResponseBytes.bytes, concurrency: concurrency)
        }

        /// The country database: the `.mmdb` file when one is set, else the
        /// range files (through a parsed cache in `cacheDirectory` when given).
        public func countryDatabase(cacheDirectory: String? = nil, logger: Logger = Logger(label: "collector")) throws -> any CountryDatabase {
            if let mmdb, !mmdb.isEmpty { return try MMDBDatabase(path: mmdb) }
            return try rangeTable(cacheDirectory: cacheDirectory, logger: logger)
        }

        /// The range table: configured files must exist; Debian's default
        /// files are used when installed.
        public func rangeTable(cacheDirectory: String? = nil, logger: Logger = Logger(label: "collector")) throws -> IPRangeTable {
            let manager = FileManager.default
            // An empty path turns that family's lookups off.
            let v4 = geoipIPv4 ?? (manager.fileExists(atPath: Self.torGeoIPv4) ? Self.torGeoIPv4 : nil)
            let v6 = geoipIPv6 ?? (manager.fileExists(atPath: Self.torGeoIPv6) ? Self.torGeoIPv6 : nil)
            let files = (ipv4: v4?.isEmpty == true ? nil : v4, ipv6: v6?.isEmpty == true ? nil : v6)
            guard let cacheDirectory else { return try IPRangeTable(ipv4File: files.ipv4, ipv6File: files.ipv6) }
            return try IPRangeCache(directory: cacheDirectory, logger: logger).table(ipv4File: files.ipv4, ipv6File: files.ipv6)
        }
    }

    /// Lab pools: the zone days are counted in, and whether the legacy
    /// pinger API may be read without a token.
    public struct PoolsSection: Codable, Sendable, Equatable {
        public var timeZone = "UTC"
        public var anonymousRead = false

        public var zone: TimeZone { TimeZone(identifier: timeZone) ?? .gmt }

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case timeZone = "time_zone", anonymousRead = "anonymous_read" }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? timeZone
            anonymousRead = try c.decodeIfPresent(Bool.self, forKey: .anonymousRead) ?? anonymousRead
            guard TimeZone(identifier: timeZone) != nil else { throw ConfigError("pools.time_zone '\(timeZone)' is not an IANA time zone") }
        }
    }

    /// The web console: how long a session lasts and how many failed
    /// logins are let through before the throttle.
    public struct ConsoleSection: Codable, Sendable, Equatable {
        public var sessionLifetime = ConfigDurationValue(.seconds(12 * 3600))
        public var failedLoginsPerUser = 5
        public var failedLoginsPerAddress = 20

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case sessionLifetime = "session_lifetime", failedLoginsPerUser = "failed_logins_per_user"
            case failedLoginsPerAddress = "failed_logins_per_address"
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            sessionLifetime = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .sessionLifetime) ?? sessionLifetime
            failedLoginsPerUser = try c.decodeIfPresent(Int.self, forKey: .failedLoginsPerUser) ?? failedLoginsPerUser
            failedLoginsPerAddress = try c.decodeIfPresent(Int.self, forKey: .failedLoginsPerAddress) ?? failedLoginsPerAddress
            guard sessionLifetime.duration >= .seconds(60) else { throw ConfigError("console.session_lifetime must be at least 1m") }
            guard failedLoginsPerUser >= 1, failedLoginsPerAddress >= 1 else {
                throw ConfigError("console.failed_logins_per_user and console.failed_logins_per_address must be at least 1")
            }
        }
    }
}
