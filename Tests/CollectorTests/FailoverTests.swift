@testable import AgentKit
@testable import CollectorCLI
import CollectorModel
import CollectorServer
import CollectorStore
import Foundation
import Synchronization
import Testing

/// Agents with several collectors (`collector.addresses`): where they
/// start, the order they move in, names with several addresses, and a real
/// failover between two collectors on loopback.
@Suite("Failover", .serialized)
struct FailoverTests {
    static let a = HostPort(host: "10.0.0.1", port: 7443)
    static let b = HostPort(host: "10.0.0.2", port: 7443)
    static let c = HostPort(host: "10.0.0.3", port: 7443)

    @Test func agentsStartAtARandomCollectorSoTheySpreadOverAll() async {
        var starts: Set<String> = []
        for _ in 0..<200 {
            let targets = await CollectorTargets([Self.a, Self.b, Self.c], resolve: { [$0] })
            starts.insert(targets.current.address.host)
        }
        // Each start has a 1/3 chance: all three in 200 tries, but for
        // odds of about 1e-35.
        #expect(starts == ["10.0.0.1", "10.0.0.2", "10.0.0.3"])
    }

    @Test func onLossTheAgentMovesToTheNextAndComesRoundAgain() async {
        var targets = await CollectorTargets([Self.a, Self.b, Self.c], resolve: { [$0] })
        let first = targets.index
        var seen: [String] = []
        for _ in 0..<6 {
            seen.append(targets.current.address.host)
            await targets.advance()
        }
        let order = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
        let expected = (0..<6).map { order[(first + $0) % 3] }
        #expect(seen == expected)
    }

    @Test func aNameWithSeveralAddressesStandsForEachCheckedAgainstTheName() async {
        let name = HostPort(host: "collectors.example.org", port: 7443)
        let resolver: CollectorTargets.Resolver = { target in
            target.host == name.host ? [HostPort(host: "192.0.2.1", port: 7443), HostPort(host: "192.0.2.2", port: 7443)] : [target]
        }
        let targets = await CollectorTargets([name, Self.c], resolve: resolver)
        #expect(targets.targets == [
            .init(address: HostPort(host: "192.0.2.1", port: 7443), serverName: "collectors.example.org"),
            .init(address: HostPort(host: "192.0.2.2", port: 7443), serverName: "collectors.example.org"),
            .init(address: Self.c, serverName: nil),
        ])
    }

    @Test func theListIsResolvedAgainAfterTheLastSoDNSChangesAreSeen() async {
        let answers = Mutex([["192.0.2.1"], ["192.0.2.7", "192.0.2.8"]])
        let resolver: CollectorTargets.Resolver = { target in
            let hosts = answers.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }
            return hosts.map { HostPort(host: $0, port: target.port) }
        }
        var targets = await CollectorTargets([HostPort(host: "collectors.example.org", port: 7443)], resolve: resolver)
        // One address: the name stays, for the transport to connect to.
        #expect(targets.targets.map(\.address.host) == ["collectors.example.org"])
        await targets.advance()
        #expect(targets.targets.map(\.address.host) == ["192.0.2.7", "192.0.2.8"])
        #expect(targets.current.serverName == "collectors.example.org")
    }

    @Test func anAddressIsNotLookedUpAndAnUnknownNameIsLeftForTheTransportToReport() async {
        #expect(await CollectorTargets.resolve(HostPort(host: "::1", port: 7443)) == [HostPort(host: "::1", port: 7443)])
        let unknown = HostPort(host: "no-such-collector.invalid", port: 7443)
        #expect(await CollectorTargets.resolve(unknown) == [unknown])
    }

    @Test func localhostResolvesToItsLoopbackAddresses() async {
        let found = await CollectorTargets.resolve(HostPort(host: "localhost", port: 7443))
        #expect(found.contains(HostPort(host: "127.0.0.1", port: 7443)))
        #expect(found.allSatisfy { $0.port == 7443 })
    }

    @Test func theConfigTakesAListThatReplacesTheAddress() throws {
        let config = try ConfigFile.decode(AgentConfig.self, yaml: "collector:\n  addresses: [a.example.org:7443, '[::1]:7443']\n")
        #expect(config.collector.targets == ["a.example.org:7443", "[::1]:7443"])
        #expect(AgentConfig().collector.targets == ["127.0.0.1:7443"])
        #expect(throws: ConfigError.self) {
            try ConfigFile.decode(AgentConfig.self, yaml: "collector:\n  addresses: [a.example.org:7443, b.example.org]\n")
        }
        let overridden = try ConfigFile.decode(AgentConfig.self, yaml: "collector: {}\n",
                                               environment: ConfigEnvironment(["COLLECTOR_AGENT_COLLECTOR__ADDRESSES": "[x:1, y:2]"],
                                                                              prefix: AgentConfig.environmentPrefix))
        #expect(overridden.collector.targets == ["x:1", "y:2"])
    }

    /// Two collector addresses over one store. SQLite lets one process
    /// hold a data directory, so the second collector starts on it, at
    /// the second address, once the first is gone: what the agent meets is
    /// what it meets behind PostgreSQL, another collector reading the same
    /// high-water mark.
    @Test func whenItsCollectorStopsTheAgentMovesToTheNextAndSendsOnlyWhatWasNotStored() async throws {
        let directory = try TemporaryDirectory("failover")
        let first = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let secondPort = try await LoopbackPort.unused()
        let token = try await first.createToken(scopes: ["ingest"], site: "lab", name: "agents-lab")
        var config = RunningAgent.config(stateDir: directory.file("agent"), collector: first, token: token)
        config.collector.addresses = [first.grpcTarget.description, "127.0.0.1:\(secondPort)"]
        let agent = try await RunningAgent(config: config)
        // Starting at the second address, the agent finds nobody and moves on.
        #expect(await eventually { agent.status.connected && agent.status.collector == first.grpcTarget.description })

        func add(_ range: Range<Int>) async throws {
            for index in range {
                try await agent.runtime.builder.add([SeriesPoint(namespace: "test", name: "failover",
                                                                 time: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)), value: Double(index))])
                try await agent.runtime.builder.flush()
            }
        }
        func stored(_ collector: RunningCollector) async throws -> [Double] {
            try await collector.store.points(namespace: "test", name: "failover", from: Date(timeIntervalSince1970: 0),
                                             to: Date(timeIntervalSince1970: 2_000_000_000)).map(\.value)
        }
        try await add(0..<5)
        #expect(await eventually { (try? await stored(first))?.count == 5 })

        await first.stop()
        try await add(5..<10)
        let second = try await RunningCollector.start(dataDirectory: directory.file("collector"), grpcPort: secondPort)
        #expect(await eventually { (try? await stored(second))?.count == 10 })
        #expect(try await stored(second) == (0..<10).map(Double.init))
        #expect(agent.status.collector == "127.0.0.1:\(secondPort)")
        #expect(agent.status.duplicates == 0)
        #expect(await eventually { await agent.runtime.spool.stats.batches == 0 })

        await agent.stop()
        await second.stop()
    }

    @Test func collectorctlTakesTheFirstOfSeveralCollectorsThatAnswers() async throws {
        let directory = try TemporaryDirectory("failover-ctl")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        // Nothing listens on port 1 of loopback: the connection is refused.
        let servers = "127.0.0.1:1,\(collector.grpcTarget)"
        let connection = ["--server", servers, "--ca", collector.caPath, "--token-file", directory.file("collector/admin.token")]
        let options = try ConnectionOptions.parse(connection)
        #expect(try await options.reachableTarget() == collector.grpcTarget)
        #expect(await CollectorCtl.run(arguments: connection + ["token", "create", "--name", "second-door", "--scope", "read"]) == 0)
        #expect(try await collector.store.tokens().contains { $0.name == "second-door" })
        // None answering is the first one's failure, not a hang.
        let dead = ["--server", "127.0.0.1:1,127.0.0.1:2", "--ca", collector.caPath, "--token-file", directory.file("collector/admin.token")]
        #expect(await CollectorCtl.run(arguments: dead + ["agents", "list"]) != 0)
        #expect(throws: ValidationError.self) { try ConnectionOptions.parse(["--server", "127.0.0.1:1,nonsense"]).targets() }
        await collector.stop()
    }
}
