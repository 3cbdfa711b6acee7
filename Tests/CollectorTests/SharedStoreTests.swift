@testable import AgentKit
import CollectorModel
import CollectorServer
import CollectorStore
import Foundation
import Testing

/// Collectors that share one PostgreSQL (`store: postgres://…`): any of
/// them serves any agent, and what one stored the other reads.
@Suite("Collectors on one PostgreSQL", .serialized)
struct SharedStoreTests {
    /// Two collectors at once; the agent's collector stops, the agent moves
    /// to the other and sends only what was not stored; compaction goes on
    /// on the collector left, and it answers every point once.
    @Test func twoCollectorsServeOneAgentThroughAFailover() async throws {
        let directory = try TemporaryDirectory("shared-store")
        let config = try PostgresServer.collectorConfig(passwordFile: directory.file("store-password"))
        let first = try await RunningCollector.start(dataDirectory: directory.file("a"), config: config)
        // The same development certificate for both, so the agent trusts each.
        try FileManager.default.createDirectory(atPath: directory.file("b"), withIntermediateDirectories: true)
        for name in ["ca.pem", "ca-key.pem", "server.pem", "server-key.pem"] {
            try FileManager.default.copyItem(atPath: (first.dataDirectory as NSString).appendingPathComponent(name),
                                             toPath: directory.file("b/\(name)"))
        }
        let second = try await RunningCollector.start(dataDirectory: directory.file("b"), config: config)
        let token = try await first.createToken(scopes: ["ingest"], site: "lab", name: "agents-lab")
        var agentConfig = RunningAgent.config(stateDir: directory.file("agent"), collector: first, token: token)
        agentConfig.collector.addresses = [first.grpcTarget.description, second.grpcTarget.description]
        let agent = try await RunningAgent(config: agentConfig)
        #expect(await eventually { agent.status.connected })

        func add(_ range: Range<Int>) async throws {
            for index in range {
                try await agent.runtime.builder.add([SeriesPoint(namespace: "test", name: "shared",
                                                                 time: Date(timeIntervalSince1970: 1_700_000_000 + Double(index) * 600),
                                                                 value: Double(index))])
                try await agent.runtime.builder.flush()
            }
        }
        func stored(_ collector: RunningCollector) async throws -> [Double] {
            try await collector.store.points(namespace: "test", name: "shared", from: .distantPast, to: .distantFuture).map(\.value)
        }
        try await add(0..<20)
        // Stored through one, read through the other.
        #expect(await eventually { (try? await stored(second))?.count == 20 })
        let (gone, left) = agent.status.collector == first.grpcTarget.description ? (first, second) : (second, first)
        await gone.stop()
        try await add(20..<40)
        #expect(await eventually { (try? await stored(left))?.count == 40 })
        #expect(try await stored(left) == (0..<40).map(Double.init))
        #expect(agent.status.collector == left.grpcTarget.description)
        #expect(agent.status.duplicates == 0)

        // The stopped collector gave its leases back: the one left compacts.
        #expect(await eventually { (try? await left.store.ingestBacklog()) == 0 })
        let daily = try await left.store.aggregate(AggregationQuery(namespace: "test", name: "shared", from: .distantPast,
                                                                    to: .distantFuture, granularity: .day, function: .sum))
        #expect(daily.map(\.value).reduce(0, +) == Double((0..<40).reduce(0, +)))
        let ready = try await http("GET", "http://127.0.0.1:\(left.addresses.httpPort)/readyz")
        #expect(ready.status == 200 && ready.body.contains("store writable: true"), "\(ready.body)")
        let metrics = try await http("GET", "http://127.0.0.1:\(left.addresses.httpPort)/metrics")
        let lines = metrics.body.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("collector_store_leases_held ") && !$0.hasSuffix(" 0") }, "the collector left holds no lease")
        // The /metrics request itself holds none of the pool's connections.
        #expect(lines.contains { $0.hasPrefix("collector_store_connections_max ") && !$0.hasSuffix(" 0") })
        #expect(lines.contains { $0.hasPrefix("collector_store_connections_waiting ") })

        await agent.stop()
        await left.stop()
    }

    /// R6 on PostgreSQL: while its server is down the collector is not
    /// ready and refuses batches as unavailable; the agent keeps them in its
    /// spool, and once the server is back every point arrives, once.
    @Test func aStoppedPostgreSQLLosesNothing() async throws {
        let directory = try TemporaryDirectory("store-outage")
        let cluster = try PostgresServer.start("/tmp/collector-test-outage-\(getpid())")
        defer { try? PostgresServer.control("stop", cluster) }
        let config = try PostgresServer.collectorConfig(passwordFile: directory.file("store-password"), on: cluster)
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"), config: config)
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab", name: "agents-lab")
        let agent = try await RunningAgent(config: RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: token))
        func add(_ range: Range<Int>) async throws {
            for index in range {
                try await agent.runtime.builder.add([SeriesPoint(namespace: "test", name: "outage",
                                                                 time: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)),
                                                                 value: Double(index))])
                try await agent.runtime.builder.flush()
            }
        }
        func stored() async throws -> [Double] {
            try await collector.store.points(namespace: "test", name: "outage", from: .distantPast, to: .distantFuture).map(\.value)
        }
        let readiness = "http://127.0.0.1:\(collector.addresses.httpPort)/readyz"
        try await add(0..<10)
        #expect(await eventually { (try? await stored())?.count == 10 })

        try PostgresServer.control("pause", cluster)
        let down = try await http("GET", readiness)
        #expect(down.status == 503 && down.body.contains("store writable: false"), "\(down.status) \(down.body)")
        try await add(10..<20)
        // Refused, not lost: the batches wait in the agent's spool.
        #expect(await eventually { await agent.runtime.spool.stats.batches > 0 })
        await #expect(throws: StoreError.self) { try await stored() }

        try PostgresServer.control("resume", cluster)
        #expect(await eventually(timeout: .seconds(60)) { (try? await stored())?.count == 20 })
        #expect(try await stored() == (0..<20).map(Double.init))
        #expect(agent.status.duplicates == 0)
        #expect(await eventually { await agent.runtime.spool.stats.batches == 0 })
        #expect(try await http("GET", readiness).status == 200)
        await agent.stop()
        await collector.stop()
    }

    /// Three collectors start at once on one database holding 1,000
    /// instances due for a crawl: the one holding the crawl scheduler's
    /// lease crawls them, and each instance is asked once, not three times.
    @Test func aThousandInstancesAcrossThreeCollectorsAreEachCrawledOnce() async throws {
        let directory = try TemporaryDirectory("shared-crawl")
        let site = try await CrawlSite.start()
        let names = (0..<1000).map { "i\($0)" }
        for name in names { site.set(name, .document(#"{"users": 1}"#)) }
        let config = try PostgresServer.collectorConfig(passwordFile: directory.file("store-password"))
        let location = try PostgresLocation(url: try #require(config.store))
        try await PostgresServer.withStore(location, password: try PostgresPassword.read(file: config.storePasswordFile) ?? "") { store in
            for name in names {
                _ = try await store.registerInstance(InstanceInfo(url: site.url(name), contact: "Ada", email: "ada@example.org",
                                                                  organization: "Lab"), country: "DE", at: Date())
            }
        }
        async let a = RunningCollector.start(dataDirectory: directory.file("a"), config: config)
        async let b = RunningCollector.start(dataDirectory: directory.file("b"), config: config)
        async let c = RunningCollector.start(dataDirectory: directory.file("c"), config: config)
        let collectors = try await [a, b, c]
        #expect(await eventually(timeout: .seconds(60)) { site.hits.count == names.count })
        // Time for a second crawl, had another collector started one.
        try await Task.sleep(for: .seconds(3))
        let hits = site.hits
        #expect(hits.count == names.count)
        #expect(hits.values.allSatisfy { $0 == 1 }, "asked more than once: \(hits.filter { $0.value > 1 }.count) instances")
        for collector in collectors { await collector.stop() }
    }
}

