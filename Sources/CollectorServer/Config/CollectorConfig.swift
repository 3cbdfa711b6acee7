import CollectorModel
import CollectorWire
import Foundation

/// The collector's configuration file (`collector serve --config FILE`).
/// Every key is optional; unknown keys are errors.
public struct CollectorConfig: Codable, Sendable, Equatable {
    public var dataDir: String?
    public var grpc: GRPCSection
    public var http: HTTPSection
    public var tls: TLSSection
    public var limits: LimitsSection
    public var retention: RetentionSection
    public var logLevel: String

    public init() {
        dataDir = nil
        grpc = GRPCSection()
        http = HTTPSection()
        tls = TLSSection()
        limits = LimitsSection()
        retention = RetentionSection()
        logLevel = "info"
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dataDir = "data_dir", grpc, http, tls, limits, retention, logLevel = "log_level"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = CollectorConfig()
        dataDir = try c.decodeIfPresent(String.self, forKey: .dataDir)
        grpc = try c.decodeIfPresent(GRPCSection.self, forKey: .grpc) ?? defaults.grpc
        http = try c.decodeIfPresent(HTTPSection.self, forKey: .http) ?? defaults.http
        tls = try c.decodeIfPresent(TLSSection.self, forKey: .tls) ?? defaults.tls
        limits = try c.decodeIfPresent(LimitsSection.self, forKey: .limits) ?? defaults.limits
        retention = try c.decodeIfPresent(RetentionSection.self, forKey: .retention) ?? defaults.retention
        logLevel = try c.decodeIfPresent(String.self, forKey: .logLevel) ?? defaults.logLevel
        try LogLevelName.validate(logLevel)
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
        public init() {}
        enum CodingKeys: String, CodingKey, CaseIterable { case listen }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            listen = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .listen) ?? listen
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
        /// Raw points older than this are already gone: data that old is
        /// refused rather than stored only to be expired. Set from
        /// `retention.raw` by the application, not read from this section.
        var maxAge: TimeInterval?

        var legacyRules: LegacyEventBody.Rules {
            var rules = LegacyEventBody.Rules()
            rules.maxFutureSkew = maxFutureSkew.duration.seconds
            rules.maxBodyBytes = maxMessageBytes
            rules.maxAge = maxAge
            return rules
        }

        var wireLimits: WireLimits {
            var limits = WireLimits(maxBatchItems: maxBatchItems, maxFutureSkew: maxFutureSkew.duration.seconds)
            limits.maxAge = maxAge
            return limits
        }

        /// Largest gRPC message accepted, in bytes.
        public var maxMessageBytes: Int = 4 << 20
        /// Batches a stream may have received but not yet acknowledged.
        public var maxInFlight: Int = 8
        /// Items (points, samples, events, ...) in one batch.
        public var maxBatchItems: Int = 50_000
        /// How far in the future a timestamp may be before it is refused.
        public var maxFutureSkew = ConfigDurationValue(.seconds(300))
        public init() {}
        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxMessageBytes = "max_message_bytes", maxInFlight = "max_in_flight", maxBatchItems = "max_batch_items"
            case maxFutureSkew = "max_future_skew"
        }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxMessageBytes = try c.decodeIfPresent(Int.self, forKey: .maxMessageBytes) ?? maxMessageBytes
            maxInFlight = try c.decodeIfPresent(Int.self, forKey: .maxInFlight) ?? maxInFlight
            maxBatchItems = try c.decodeIfPresent(Int.self, forKey: .maxBatchItems) ?? maxBatchItems
            maxFutureSkew = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .maxFutureSkew) ?? maxFutureSkew
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
}
