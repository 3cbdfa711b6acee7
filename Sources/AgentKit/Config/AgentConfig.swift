import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The agent's YAML configuration. Every key is documented in
/// `agent/collector-agent.yaml`; unknown keys and wrong types are errors.
public struct AgentConfig: Codable, Sendable, Equatable {
    public var collector: CollectorSection
    public var stateDir: String
    public var logLevel: String
    /// The application instance the agent sits beside, if any.
    public var instance: InstanceInfo?
    public var spool: SpoolSection
    public var uplink: UplinkSection
    /// The agent's own `/metrics`, whichever inputs are on.
    public var metrics: MetricsSection
    public var inputs: InputsSection

    public init() {
        collector = CollectorSection()
        stateDir = "/var/lib/collector-agent"
        logLevel = "info"
        instance = nil
        spool = SpoolSection()
        uplink = UplinkSection()
        metrics = MetricsSection()
        inputs = InputsSection()
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case collector, stateDir = "state_dir", logLevel = "log_level", instance, spool, uplink, metrics, inputs
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        collector = try c.decodeIfPresent(CollectorSection.self, forKey: .collector) ?? collector
        stateDir = try c.decodeIfPresent(String.self, forKey: .stateDir) ?? stateDir
        logLevel = try c.decodeIfPresent(String.self, forKey: .logLevel) ?? logLevel
        if let section = try c.decodeIfPresent(InstanceSection.self, forKey: .instance) {
            instance = try section.info.validated()
        }
        spool = try c.decodeIfPresent(SpoolSection.self, forKey: .spool) ?? spool
        uplink = try c.decodeIfPresent(UplinkSection.self, forKey: .uplink) ?? uplink
        metrics = try c.decodeIfPresent(MetricsSection.self, forKey: .metrics) ?? metrics
        inputs = try c.decodeIfPresent(InputsSection.self, forKey: .inputs) ?? inputs
        try LogLevelName.validate(logLevel)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(collector, forKey: .collector)
        try c.encode(stateDir, forKey: .stateDir)
        try c.encode(logLevel, forKey: .logLevel)
        try c.encodeIfPresent(instance.map(InstanceSection.init), forKey: .instance)
        try c.encode(spool, forKey: .spool)
        try c.encode(uplink, forKey: .uplink)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(inputs, forKey: .inputs)
    }

    public struct CollectorSection: Codable, Sendable, Equatable {
        public var address: String = "127.0.0.1:7443"
        /// Several collectors sharing one store: the agent pushes to one at
        /// a time, starting at a random one, and moves to the next when the
        /// link is lost. When given, it replaces `address`.
        public var addresses: [String] = []
        /// What the agent connects to: `addresses`, or `address` alone.
        public var targets: [String] { addresses.isEmpty ? [address] : addresses }
        /// CA that signed the collector's certificate; the system roots when absent.
        public var ca: String?
        public var token: String?
        public var tokenFile: String?
        /// Name to check the collector's certificate against, when it differs
        /// from the address's host.
        public var serverName: String?
        public var clientCertificate: String?
        public var clientKey: String?

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case address, addresses, ca, token, tokenFile = "token_file", serverName = "server_name"
            case clientCertificate = "client_certificate", clientKey = "client_key"
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            address = try c.decodeIfPresent(String.self, forKey: .address) ?? address
            _ = try HostPort(parsing: address, field: "collector.address")
            addresses = try c.decodeIfPresent([String].self, forKey: .addresses) ?? []
            for entry in addresses { _ = try HostPort(parsing: entry, field: "collector.addresses") }
            ca = try c.decodeIfPresent(String.self, forKey: .ca)
            token = try c.decodeIfPresent(String.self, forKey: .token)
            tokenFile = try c.decodeIfPresent(String.self, forKey: .tokenFile)
            serverName = try c.decodeIfPresent(String.self, forKey: .serverName)
            clientCertificate = try c.decodeIfPresent(String.self, forKey: .clientCertificate)
            clientKey = try c.decodeIfPresent(String.self, forKey: .clientKey)
            guard (clientCertificate == nil) == (clientKey == nil) else {
                throw ConfigError("collector.client_certificate and collector.client_key must be given together")
            }
        }
    }

    struct InstanceSection: Codable, Equatable {
        var info: InstanceInfo

        init(_ info: InstanceInfo) { self.info = info }

        enum CodingKeys: String, CodingKey, CaseIterable { case url, contact, email, organization, organisation }

        init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            info = InstanceInfo(
                url: try c.decode(String.self, forKey: .url),
                contact: try c.decode(String.self, forKey: .contact),
                email: try c.decode(String.self, forKey: .email),
                organization: try c.decodeIfPresent(String.self, forKey: .organization)
                    ?? c.decodeIfPresent(String.self, forKey: .organisation) ?? "")
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(info.url, forKey: .url)
            try c.encode(info.contact, forKey: .contact)
            try c.encode(info.email, forKey: .email)
            try c.encode(info.organization, forKey: .organization)
        }
    }

    public struct SpoolSection: Codable, Sendable, Equatable {
        /// Bound of the on-disk spool; when full the oldest batches go.
        public var maxBytes: ByteCount = ByteCount(256 << 20)

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case maxBytes = "max_bytes" }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            maxBytes = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(ByteCount.self, forKey: .maxBytes) ?? maxBytes
        }
    }

    public struct UplinkSection: Codable, Sendable, Equatable {
        /// How long inputs' records wait before they are spooled as a batch.
        public var flushInterval = ConfigDurationValue(.seconds(1))
        /// Records in one batch; a full batch is spooled at once.
        public var maxBatchItems = 1000
        /// Unacknowledged batches on the stream (the collector may ask for fewer).
        public var maxInFlight = 8
        public var backoffInitial = ConfigDurationValue(.milliseconds(250))
        public var backoffMax = ConfigDurationValue(.seconds(30))
        /// How often a connected agent asks which pools it sweeps.
        public var poolRefresh = ConfigDurationValue(.seconds(30))

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case flushInterval = "flush_interval", maxBatchItems = "max_batch_items", maxInFlight = "max_in_flight"
            case backoffInitial = "backoff_initial", backoffMax = "backoff_max", poolRefresh = "pool_refresh"
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            flushInterval = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .flushInterval) ?? flushInterval
            maxBatchItems = try c.decodeIfPresent(Int.self, forKey: .maxBatchItems) ?? maxBatchItems
            maxInFlight = try c.decodeIfPresent(Int.self, forKey: .maxInFlight) ?? maxInFlight
            backoffInitial = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .backoffInitial) ?? backoffInitial
            backoffMax = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .backoffMax) ?? backoffMax
            poolRefresh = try c.decodeIfPresent(ConfigDurationValue.self, forKey: .poolRefresh) ?? poolRefresh
            guard poolRefresh.duration >= .milliseconds(100) else { throw ConfigError("uplink.pool_refresh must be at least 100ms") }
            guard (1...100_000).contains(maxBatchItems) else { throw ConfigError("uplink.max_batch_items must be 1...100000") }
            guard (1...1024).contains(maxInFlight) else { throw ConfigError("uplink.max_in_flight must be 1...1024") }
            guard flushInterval.duration > .zero else { throw ConfigError("uplink.flush_interval must be positive") }
            guard backoffInitial.duration > .zero, backoffMax.duration >= backoffInitial.duration else {
                throw ConfigError("uplink.backoff_initial must be positive and at most backoff_max")
            }
        }
    }

    public struct MetricsSection: Codable, Sendable, Equatable {
        public var enabled = true
        /// Loopback by default: `/metrics` takes no token.
        public var listen = "127.0.0.1:7481"

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case enabled, listen }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
            listen = try c.decodeIfPresent(String.self, forKey: .listen) ?? listen
            _ = try HostPort(parsing: listen, field: "metrics.listen")
        }
    }
}
