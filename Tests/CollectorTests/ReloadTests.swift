@testable import AgentKit
import CollectorModel
import CollectorProto
@testable import CollectorServer
import CollectorTLS
import Foundation
import GRPCCore
import Logging
import Testing
import YAMLCoding

/// `systemctl reload`: what can change does, what cannot is named, open
/// agent streams stay up, and a bad file changes nothing.
@Suite("Reload", .serialized)
struct ReloadTests {
    static func collectorYAML(_ extra: String) -> String {
        // As RunningCollector.testConfig: no raw retention, no country table.
        "retention:\n  raw: null\ncrawl:\n  geoip_ipv4: ''\n  geoip_ipv6: ''\n" + extra
    }

    @Test func aCollectorReloadAppliesWhatItCanWithoutDroppingAgentStreams() async throws {
        let directory = try TemporaryDirectory("reload-collector")
        let configPath = directory.file("collector.yaml")
        try Self.collectorYAML("  interval: 1h\n").write(toFile: configPath, atomically: true, encoding: .utf8)
        let load: @Sendable () throws -> CollectorConfig = { try CollectorConfig.load(from: configPath, environment: [:]) }
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"), config: try load(), reloadConfig: load)
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        let agent = try await RunningAgent(config: RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: token))
        #expect(await eventually { await agent.runtime.ports.intake != nil && agent.status.registrations > 0 })
        let intake = "http://127.0.0.1:\(try #require(await agent.runtime.ports.intake))"
        let before = agent.status

        // A certificate from another CA, a new log level and crawl settings,
        // and a listen address that only a restart can change.
        let renewed = try DevelopmentCertificates.ensure(in: directory.file("renewed"))
        try Self.collectorYAML("""
              interval: 2h
              concurrency: 4
            log_level: debug
            grpc:
              listen: 127.0.0.1:1
            tls:
              certificate: \(renewed.certificatePath)
              key: \(renewed.keyPath)

            """).write(toFile: configPath, atomically: true, encoding: .utf8)
        let report = try collector.application.reloader.reload()
        #expect(report.applied == ["crawl.concurrency", "crawl.interval", "log_level", "tls.certificate", "tls.key"])
        #expect(report.needsRestart == ["grpc.listen"])
        #expect(collector.application.live.value.crawl.interval.duration == .seconds(7200))
        #expect(collector.application.live.value.grpc.listen == "127.0.0.1:7443")
        #expect(collector.application.options.logLevel.level == .debug)

        // The agent's stream stayed up and still delivers.
        let tracked = try await http("POST", intake + "/api/track/", body: #"{"namespace": "shop", "name": "after-reload", "value": 1}"#)
        #expect(tracked.status == 201)
        #expect(await eventually { (try? await collector.store.points(namespace: "shop", name: "after-reload", from: .distantPast, to: .distantFuture).count) == 1 })
        #expect(agent.status.registrations == before.registrations)
        #expect(agent.status.reconnects == before.reconnects)

        // New connections get the new certificate: its CA is trusted, the old one no longer.
        let agents = try await collector.withClient(tls: ClientTLSSettings(caPath: renewed.caPath)) { client in
            try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: bearer(collector.adminToken)).agents
        }
        #expect(agents.count == 1 && agents.first?.connected == true)
        await #expect(throws: (any Error).self) {
            try await collector.withClient { client in
                try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: bearer(collector.adminToken))
            }
        }

        // A file that does not load, or a key that is not the certificate's, changes nothing.
        try Self.collectorYAML("  concurrency: 0\n").write(toFile: configPath, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try collector.application.reloader.reload() }
        let original = try DevelopmentCertificates.ensure(in: directory.file("collector"))
        try Self.collectorYAML("  interval: 3h\ntls:\n  certificate: \(renewed.certificatePath)\n  key: \(original.keyPath)\n")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        #expect(throws: TLSSetupError.keyDoesNotMatchCertificate(certificate: renewed.certificatePath, key: original.keyPath)) {
            try collector.application.reloader.reload()
        }
        #expect(collector.application.live.value.crawl.interval.duration == .seconds(7200))
        #expect(collector.application.live.value.crawl.concurrency == 4)
        let stillServed = try await collector.withClient(tls: ClientTLSSettings(caPath: renewed.caPath)) { client in
            try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: bearer(collector.adminToken)).agents.count
        }
        #expect(stillServed == 1)

        await agent.stop()
        await collector.stop()
    }

    @Test func anAgentReloadRestartsOnlyTheChangedInputAndKeepsItsStream() async throws {
        let directory = try TemporaryDirectory("reload-agent")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        var config = RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: token)
        let configPath = directory.file("agent.yaml")
        try YAMLEncoder().encode(config).write(toFile: configPath, atomically: true, encoding: .utf8)
        let load: @Sendable () throws -> AgentConfig = { try AgentConfig.load(from: configPath, environment: [:]) }
        #expect(try load() == config)
        let agent = try await RunningAgent(config: config, reloadConfig: load)
        #expect(await eventually { await agent.runtime.ports.intake != nil && agent.status.registrations > 0 })
        let port = try #require(await agent.runtime.ports.intake)
        let before = agent.status

        config.logLevel = "debug"
        config.inputs[HostStatsInput.self].enabled = true
        config.inputs[HostStatsInput.self].interval = ConfigDurationValue(.milliseconds(200))
        config.collector.address = "127.0.0.1:1"
        try YAMLEncoder().encode(config).write(toFile: configPath, atomically: true, encoding: .utf8)
        let report = try agent.runtime.reload()
        #expect(report.applied == ["inputs.host_stats.enabled", "inputs.host_stats.interval", "log_level"])
        #expect(report.needsRestart == ["collector.address"])

        // Host stats start arriving over the same stream; the intake was not
        // restarted, so it still listens on its port.
        let sampled = await eventually {
            let agents = try? await collector.withClient { client in
                try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: bearer(collector.adminToken)).agents
            }
            return agents?.first?.hasLatestHostSample == true
        }
        #expect(sampled)
        #expect(await agent.runtime.ports.intake == port)
        let tracked = try await http("POST", "http://127.0.0.1:\(port)/api/track/", body: #"{"namespace": "n", "name": "x", "value": 1}"#)
        #expect(tracked.status == 201)
        #expect(agent.status.registrations == before.registrations)
        #expect(agent.status.reconnects == before.reconnects)

        // A broken file changes nothing.
        try "inputs: {ping: {enabled: maybe}}".write(toFile: configPath, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try agent.runtime.reload() }
        #expect(agent.runtime.live.value.inputs[HostStatsInput.self].enabled)

        await agent.stop()
        await collector.stop()
    }
}
