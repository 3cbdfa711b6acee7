@testable import AgentKit
import CollectorModel
import CollectorServer
import Foundation
import Testing

@Suite("Configuration files")
struct ConfigTests {
    @Test func theDocumentedAgentSampleIsValid() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("agent/collector-agent.yaml").path
        let config = try ConfigFile.load(AgentConfig.self, from: sample)
        #expect(config.instance?.organization == "Example Lab")
        #expect(config.spool.maxBytes.bytes == 256 << 20)
        #expect(config.inputs[HostStatsInput.self].interval.duration == .seconds(10))
    }

    /// The collector's sample documents every key with its default: it must
    /// parse, and say exactly what the code does when a key is absent.
    @Test func theDocumentedCollectorSampleStatesTheRealDefaults() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("server/collector.yaml").path
        var config = try ConfigFile.load(CollectorConfig.self, from: sample)
        #expect(config.dataDir == "/var/lib/collector")
        config.dataDir = nil
        #expect(config == CollectorConfig())
    }

    /// Each input's sample documents every key with its default, as the
    /// collector's does, and the list names every section `inputs:` takes.
    @Test func everyInputSampleStatesTheRealDefaults() throws {
        let config = try ConfigFile.decode(AgentConfig.self, yaml: AgentInputs.sampleConfig)
        #expect(config == AgentConfig())
        for input in AgentInputs.all {
            #expect(AgentInputs.sampleConfig.contains("\n  \(input.name):\n"))
        }
        #expect {
            try ConfigFile.decode(AgentConfig.self, yaml: "inputs:\n  pings:\n    enabled: true\n")
        } throws: { error in
            "\(error)".contains("inputs.pings") && "\(error)".contains("crawl, events, host_stats, ping")
        }
    }

    @Test func anAgentCrawlBaseURLMustBeHTTP() throws {
        #expect {
            try ConfigFile.decode(AgentConfig.self, yaml: "inputs:\n  crawl:\n    base_url: ftp://app.example\n")
        } throws: { error in
            "\(error)".contains("inputs.crawl.base_url")
        }
        let config = try ConfigFile.decode(AgentConfig.self, yaml: "inputs:\n  crawl:\n    base_url: https://app.example/\n")
        #expect(config.inputs[CrawlInput.self].baseURL == "https://app.example")
    }

    @Test func anUnknownAgentKeyIsAnErrorNamingIt() {
        #expect {
            try ConfigFile.decode(AgentConfig.self, yaml: "uplink:\n  flush_intervall: 1s\n")
        } throws: { error in
            "\(error)".contains("uplink.flush_intervall")
        }
    }

    @Test func aWrongTypeIsAnErrorNamingTheKey() {
        #expect {
            try ConfigFile.decode(AgentConfig.self, yaml: "uplink:\n  max_in_flight: lots\n")
        } throws: { error in
            "\(error)".contains("uplink.max_in_flight")
        }
    }

    @Test func aBadDurationOrSizeIsRefused() {
        #expect(throws: ConfigError.self) { try ConfigFile.decode(AgentConfig.self, yaml: "uplink: {flush_interval: soon}") }
        #expect(throws: ConfigError.self) { try ConfigFile.decode(AgentConfig.self, yaml: "spool: {max_bytes: 12 parsecs}") }
        #expect(throws: ConfigError.self) { try ConfigFile.decode(AgentConfig.self, yaml: "instance: {url: 'ftp://x', contact: a, email: b}") }
    }

    @Test func legacySpellingOfOrganisationIsAccepted() throws {
        let config = try ConfigFile.decode(AgentConfig.self, yaml: """
            instance: {url: "https://a.example.org/", contact: A, email: a@example.org, organisation: Lab}
            """)
        #expect(config.instance?.organization == "Lab")
        #expect(config.instance?.url == "https://a.example.org")
    }

    @Test func collectorConfigIsStrictToo() throws {
        let config = try ConfigFile.decode(CollectorConfig.self, yaml: "limits: {max_in_flight: 4}\ngrpc: {listen: '0.0.0.0:9443'}")
        #expect(config.limits.maxInFlight == 4)
        #expect(config.grpc.listen == "0.0.0.0:9443")
        #expect(throws: ConfigError.self) { try ConfigFile.decode(CollectorConfig.self, yaml: "tls: {certificate: /x}") }
        #expect(throws: ConfigError.self) { try ConfigFile.decode(CollectorConfig.self, yaml: "log_level: chatty") }
        #expect(throws: ConfigError.self) { try ConfigFile.decode(CollectorConfig.self, yaml: "grpcc: {}") }
        #expect(try ConfigFile.decode(CollectorConfig.self, yaml: "scheduler_slice_us: 0").schedulerSliceMicroseconds == 0)
        #expect(try ConfigFile.decode(CollectorConfig.self, yaml: "scheduler_slice_us: 1000").schedulerSliceMicroseconds == 1000)
        #expect { try ConfigFile.decode(CollectorConfig.self, yaml: "scheduler_slice_us: 50") } throws: { "\($0)".contains("scheduler_slice_us") }
    }

    @Test(arguments: [("500ms", 500), ("10s", 10_000), ("5m", 300_000), ("24h", 86_400_000), ("2", 2000)])
    func durationsParse(text: String, milliseconds: Int64) throws {
        #expect(try ConfigDuration.parse(text) == .milliseconds(milliseconds))
    }

    @Test(arguments: ["127.0.0.1:7443", "[::1]:7443", "collector.example.org:443"])
    func addressesParse(text: String) throws {
        #expect(try HostPort(parsing: text).description == text)
    }

    @Test(arguments: ["127.0.0.1", "::1:7443", ":7443", "host:99999", "host:port", "[::1]7443", "[::1", "[collector]:7443", "two words:1"])
    func badAddressesAreRefused(text: String) {
        #expect(throws: ValidationError.self) { try HostPort(parsing: text) }
    }

    @Test func aCommaSeparatedListParsesEachEntryAndRefusesAnEmptyOne() throws {
        let list = try HostPort.list(parsing: "a.example.org:7443, [::1]:7444,127.0.0.1:7445", field: "--collector")
        #expect(list.map(\.description) == ["a.example.org:7443", "[::1]:7444", "127.0.0.1:7445"])
        #expect(try HostPort.list(parsing: "127.0.0.1:7443", field: "--server") == [HostPort(host: "127.0.0.1", port: 7443)])
        for bad in ["a:1,", "a:1,,b:2", "a:1,b"] {
            #expect(throws: ValidationError.self) { try HostPort.list(parsing: bad, field: "--collector") }
        }
    }
}

@Suite("Environment overrides and check-config")
struct ConfigEnvironmentTests {
    @Test func variablesOverrideTheFileWithTypedValues() throws {
        let config = try CollectorConfig.load(from: nil, environment: [
            "COLLECTOR_LOG_LEVEL": "debug",
            "COLLECTOR_CRAWL__CONCURRENCY": "16",
            "COLLECTOR_CRAWL__ENDPOINTS": "[{path: /status.json}]",
            "COLLECTOR_POOLS__ANONYMOUS_READ": "true",
            // collectorctl's and the agent's variables are not the collector's.
            "COLLECTOR_SERVER": "127.0.0.1:7443", "COLLECTOR_TOKEN": "x", "COLLECTOR_AGENT_LOG_LEVEL": "error",
            "HOME": "/root",
        ])
        #expect(config.logLevel == "debug")
        #expect(config.crawl.concurrency == 16)
        #expect(config.crawl.endpoints.map(\.path) == ["/status.json"])
        #expect(config.pools.anonymousRead)
    }

    @Test func aVariableOverridesAKeyTheFileSets() throws {
        let directory = try TemporaryDirectory("env-config")
        let path = directory.file("agent.yaml")
        try "log_level: info\ncollector:\n  token: from-file\n".write(toFile: path, atomically: true, encoding: .utf8)
        let config = try AgentConfig.load(from: path, environment: ["COLLECTOR_AGENT_COLLECTOR__TOKEN": "a: b", "COLLECTOR_AGENT_LOG_LEVEL": "warning"])
        // A plain value stays a string, even one that looks like YAML.
        #expect(config.collector.token == "a: b")
        #expect(config.logLevel == "warning")
    }

    /// The README says values are YAML scalars: `null` and `~` are null,
    /// which gives a key its default (tor-geoipdb's path) back; an empty
    /// value stays the empty string (no lookups for that family).
    @Test func nullAndTildeMeanNull() throws {
        for spelling in ["null", "~", "NULL"] {
            let config = try CollectorConfig.load(from: nil, environment: ["COLLECTOR_CRAWL__GEOIP_IPV4": spelling,
                                                                           "COLLECTOR_RETENTION__RAW": spelling])
            #expect(config.crawl.geoipIPv4 == nil, "\(spelling)")
            #expect(config.retention.raw == nil, "\(spelling)")
        }
        let empty = try CollectorConfig.load(from: nil, environment: ["COLLECTOR_CRAWL__GEOIP_IPV4": ""])
        #expect(empty.crawl.geoipIPv4 == "")
        let quoted = try CollectorConfig.load(from: nil, environment: ["COLLECTOR_CRAWL__GEOIP_IPV4": "'null'"])
        #expect(quoted.crawl.geoipIPv4 == "'null'")
    }

    /// `store`: SQLite by default and by name; a PostgreSQL URL checked when
    /// the file is read (a password in it, or a mode that falls back to
    /// plaintext, stops the collector before it starts).
    @Test func theStoreIsSQLiteOrACheckedPostgreSQLURL() throws {
        #expect(try ConfigFile.decode(CollectorConfig.self, yaml: "store: sqlite\n").storeLocation == nil)
        let shared = try ConfigFile.decode(CollectorConfig.self, yaml: """
            store: postgres://collector@db.example:6432/telemetry?sslmode=verify-ca
            store_password_file: /etc/collector/db-password
            """)
        #expect(shared.storeLocation?.description == "postgres://collector@db.example:6432/telemetry?sslmode=verify-ca")
        #expect(shared.storePasswordFile == "/etc/collector/db-password")
        for (yaml, reason) in [("store: postgres://collector:secret@db/telemetry", "carries a password"),
                               ("store: postgres://collector@db/telemetry?sslmode=prefer", "sslmode 'prefer'"),
                               ("store: mysql://collector@db/telemetry", "is not a postgres:// URL")] {
            let error = #expect(throws: ConfigError.self) { try ConfigFile.decode(CollectorConfig.self, yaml: yaml) }
            #expect(error?.description.contains(reason) == true, "\(yaml): \(String(describing: error))")
        }
        // The password's variable is not a key to override.
        #expect(try CollectorConfig.load(from: nil, environment: ["COLLECTOR_STORE_PASSWORD": "secret"]).store == nil)
    }

    @Test func aBadSizeOrDurationNamesItsKey() throws {
        let size = #expect(throws: ConfigError.self) {
            try ConfigFile.decode(CollectorConfig.self, yaml: "limits:\n  min_free_disk: lots\n")
        }
        #expect(size?.description.contains("limits.min_free_disk: 'lots' is not a size like") == true, "\(String(describing: size))")
        let duration = #expect(throws: ConfigError.self) {
            try CollectorConfig.load(from: nil, environment: ["COLLECTOR_CRAWL__TIMEOUT": "soon"])
        }
        #expect(duration?.description.contains("crawl.timeout: 'soon' is not a duration like") == true, "\(String(describing: duration))")
        #expect(duration?.description.contains("COLLECTOR_CRAWL__TIMEOUT") == true)
        let negative = #expect(throws: ConfigError.self) {
            try ConfigFile.decode(AgentConfig.self, yaml: "spool: {max_bytes: -5}")
        }
        #expect(negative?.description.contains("spool.max_bytes: a size must be positive") == true, "\(String(describing: negative))")
    }

    @Test func anUnknownOrMistypedVariableIsAnErrorNamingIt() throws {
        let unknown = #expect(throws: ConfigError.self) {
            try CollectorConfig.load(from: nil, environment: ["COLLECTOR_CRAWL__INTERVALL": "1h"])
        }
        #expect(unknown?.description.contains("COLLECTOR_CRAWL__INTERVALL") == true)
        #expect(unknown?.description.contains("crawl.intervall") == true)
        let mistyped = #expect(throws: ConfigError.self) {
            try CollectorConfig.load(from: nil, environment: ["COLLECTOR_CRAWL__CONCURRENCY": "lots"])
        }
        #expect(mistyped?.description.contains("crawl.concurrency") == true)
        #expect(throws: ConfigError.self) { try AgentConfig.load(from: nil, environment: ["COLLECTOR_AGENT_LOG_LEVEL__X": "1"]) }
    }

    @Test func theEffectiveConfigurationMasksSecretsAndReadsBackEqual() throws {
        var config = AgentConfig()
        config.collector.token = "s3cret-token-value"
        config.inputs[PingInput.self].enabled = true
        let yaml = try EffectiveConfig.yaml(config)
        #expect(!yaml.contains("s3cret-token-value"))
        #expect(yaml.contains("token: '\(EffectiveConfig.mask)'") || yaml.contains("token: \(EffectiveConfig.mask)"))
        var readBack = try ConfigFile.decode(AgentConfig.self, yaml: yaml)
        readBack.collector.token = config.collector.token
        #expect(readBack == config)

        let collector = try ConfigFile.decode(CollectorConfig.self, yaml: try EffectiveConfig.yaml(CollectorConfig()))
        #expect(collector == CollectorConfig())
    }

    @Test func differencesAreDottedKeyPaths() {
        var new = CollectorConfig()
        new.crawl.interval = ConfigDurationValue(.seconds(60))
        new.tls.certificate = "/etc/collector/tls.pem"
        #expect(ConfigDifference.paths(from: CollectorConfig(), to: new) == ["crawl.interval", "tls.certificate"])
        #expect(ConfigDifference.paths(from: new, to: new).isEmpty)
    }
}
