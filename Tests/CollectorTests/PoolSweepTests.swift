@testable import AgentKit
import CollectorModel
import CollectorProto
import Foundation
import GRPCCore
import Testing

/// Real ICMP: loopback answers, addresses routed into a network namespace
/// this test creates answer nothing until the test brings one up there.
@Suite("Pool sweeps", .serialized, .enabled(if: TestNetwork.isAvailable, "needs root and iproute2 for network namespaces"))
struct PoolSweepTests {
    @Test func loopbackIsUpNamespaceHostsAreDownUntilTheyComeUp() async throws {
        let network = try TestNetwork()
        defer { network.remove() }
        let sweeper = Sweeper(settings: SweepSettings(timeout: .milliseconds(300), retries: 1, pace: .milliseconds(1)))
        let addresses = ["127.0.0.1", "127.0.0.53", network.address(2), network.address(5), network.address(6), "name.invalid"]
        let first = try await sweeper.sweep(addresses)
        #expect(first["127.0.0.1"]?.up == true)
        #expect(first["127.0.0.53"]?.up == true)
        #expect(first[network.address(2)]?.up == true)
        #expect((first["127.0.0.1"]?.rttMilliseconds ?? -1) >= 0)
        #expect(first[network.address(5)]?.up == false)
        #expect(first[network.address(5)]?.reason != nil)
        #expect(first[network.address(6)]?.up == false)
        #expect(first["name.invalid"] == SweepResult(up: false, rttMilliseconds: 0, reason: .unresolved))

        try network.bringUp(5)
        let second = try await sweeper.sweep(addresses)
        #expect(second[network.address(5)]?.up == true)
        #expect(second[network.address(6)]?.up == false)
    }

    @Test func concurrentSweepsDoNotTakeEachOthersReplies() async throws {
        let network = try TestNetwork()
        defer { network.remove() }
        let sweeper = Sweeper(settings: SweepSettings(timeout: .milliseconds(300), retries: 0, pace: .zero))
        let up = (1...20).map { "127.0.1.\($0)" }
        let down = (10...29).map { network.address($0) }
        async let a = sweeper.sweep(up + down)
        async let b = sweeper.sweep(down + up)
        for results in try await [a, b] {
            #expect(up.allSatisfy { results[$0]?.up == true })
            #expect(down.allSatisfy { results[$0]?.up == false })
        }
    }

    @Test func anAgentSweepsItsPoolAndTheCollectorReportsIt() async throws {
        let network = try TestNetwork()
        defer { network.remove() }
        let directory = try TemporaryDirectory("pool-e2e")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        var config = RunningAgent.config(stateDir: directory.path + "/agent", collector: collector, token: token)
        config.inputs[PingInput.self].timeout = ConfigDurationValue(.milliseconds(200))
        config.inputs[PingInput.self].retries = 0
        let agent = try await RunningAgent(config: config)
        let admin = collector.adminToken
        #expect(await eventually { agent.status.connected })

        var pool = Collector_V1_Pool()
        pool.name = "lab-1"
        pool.room = "1.23"
        pool.watts = 100
        pool.agentID = agent.runtime.state.agentID
        pool.intervalMs = 1000
        pool.computers = ["127.0.0.1", "127.0.0.2", network.address(2), network.address(7)]
        var create = Collector_V1_CreatePoolRequest()
        create.pool = pool
        _ = try await collector.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).createPool(create, metadata: bearer(admin))
        }
        // No nudge: the collector tells the agent about its new pool at once.

        func status() async throws -> [String: Collector_V1_ComputerStatus] {
            var request = Collector_V1_PoolStatusRequest()
            request.pool = "lab-1"
            let response = try await collector.withClient { client in
                try await Collector_V1_Query.Client(wrapping: client).poolStatus(request, metadata: bearer(admin))
            }
            return Dictionary(uniqueKeysWithValues: response.computers.map { ($0.address, $0) })
        }
        #expect(await eventually { ((try? await status()) ?? [:]).values.filter { $0.lastSweepUnixNano > 0 }.count == 4 })
        let seen = try await status()
        #expect(seen["127.0.0.1"]?.up == true)
        #expect(seen[network.address(2)]?.up == true)
        #expect(seen[network.address(7)]?.up == false)
        #expect(seen[network.address(7)]?.reason == "timeout" || seen[network.address(7)]?.reason == "unreachable")
        #expect(seen[network.address(7)]?.lastUpUnixNano == 0)
        // The pools list counts them in one query: the same three.
        let stored = try #require(try await collector.store.pool(name: "lab-1"))
        #expect(try await collector.store.computersUp() == [stored.id: 3])

        // The PC comes up mid-test and is seen up at the next sweeps.
        try network.bringUp(7)
        #expect(await eventually { (try? await status())?[network.address(7)]?.up == true })

        // Two sweeps in, the up computers have runtime today.
        try await Task.sleep(for: .seconds(2.5))
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        var reportRequest = Collector_V1_PoolReportRequest()
        reportRequest.fromDate = today
        reportRequest.toDate = today
        let report = try await collector.withClient { client in
            try await Collector_V1_Query.Client(wrapping: client).poolReport(reportRequest, metadata: bearer(admin))
        }
        let day = try #require(report.days.first)
        #expect(day.computers == 4)
        #expect(day.used >= 3)
        #expect(day.runtimeHours > 0)

        // The legacy CSV route answers the same pool.
        let csv = try await http("GET", "http://127.0.0.1:\(collector.addresses.httpPort)/pingerservice/api/csv/pool/?start_date=\(today)&end_date=\(today)",
                                 headers: ["Authorization": "Bearer \(admin)"])
        #expect(csv.status == 200)
        #expect(csv.headers["content-type"] == "text/csv")
        #expect(csv.headers["content-disposition"] == #"attachment; filename="pinger_export.csv""#)
        #expect(csv.body.hasPrefix(#""Datum","","Raum Nr","#))
        #expect(csv.body.contains(#""\#(today)","","1.23","#))
        #expect(try await http("GET", "http://127.0.0.1:\(collector.addresses.httpPort)/pingerservice/api/csv/pool/").status == 401)
        #expect(try await http("GET", "http://127.0.0.1:\(collector.addresses.httpPort)/pingerservice/api/csv/pool/?start_date=2024-13-01",
                               headers: ["Authorization": "Bearer \(admin)"]).status == 400)
        await agent.stop()
        await collector.stop()
    }
}

@Suite("Pool administration", .serialized)
struct PoolAdminTests {
    @Test func badInputIsRefusedAndChangesNothing() async throws {
        let directory = try TemporaryDirectory("pool-admin")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let admin = collector.adminToken
        func create(_ name: String, watts: Double = 80, computers: [String] = []) async throws -> Collector_V1_Pool {
            var pool = Collector_V1_Pool()
            pool.name = name
            pool.room = "R"
            pool.watts = watts
            pool.agentID = "agent-1"
            pool.computers = computers
            var request = Collector_V1_CreatePoolRequest()
            request.pool = pool
            request.allowUnregisteredAgent = true
            return try await collector.withClient { client in
                try await Collector_V1_Admin.Client(wrapping: client).createPool(request, metadata: bearer(admin))
            }
        }
        func code(_ body: () async throws -> Void) async -> RPCError.Code? {
            do {
                try await body()
                return nil
            } catch let error as RPCError {
                return error.code
            } catch {
                return .unknown
            }
        }
        let created = try await create("lab", computers: ["10.0.0.1-10.0.0.4", "pc-9.lab.example"])
        #expect(created.computers == ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "pc-9.lab.example"])
        #expect(created.intervalMs == 300_000)
        #expect(await code { _ = try await create("lab") } == .alreadyExists)
        #expect(await code { _ = try await create("neg", watts: -5) } == .invalidArgument)
        #expect(await code { _ = try await create("rev", computers: ["10.0.0.9-10.0.0.1"]) } == .invalidArgument)
        #expect(await code { _ = try await create("big", computers: ["10.0.0.0-10.0.255.255"]) } == .invalidArgument)
        #expect(await code { _ = try await create("bad", computers: ["not an address"]) } == .invalidArgument)
        #expect(try await collector.store.pools().map(\.name) == ["lab"])

        // Adding a bad entry among good ones adds none of them.
        var add = Collector_V1_ComputersRequest()
        add.pool = "lab"
        add.addresses = ["10.0.0.5", "10.0.0.300"]
        #expect(await code { _ = try await collector.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).addComputers(add, metadata: bearer(admin))
        } } == .invalidArgument)
        #expect(try await collector.store.pool(name: "lab")?.computers.count == 5)

        // Export, then import into a fresh collector: the same pools.
        let exported = try await collector.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).exportPools(.init(), metadata: bearer(admin))
        }
        let other = try await RunningCollector.start(dataDirectory: try TemporaryDirectory("pool-import").path)
        var importing = Collector_V1_ImportPoolsRequest()
        importing.json = exported.json
        let otherAdmin = other.adminToken
        let imported = try await other.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).importPools(importing, metadata: bearer(otherAdmin))
        }
        #expect(imported.created == 1)
        #expect(try await other.store.pool(name: "lab")?.computers == created.computers)
        let again = try await other.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).importPools(importing, metadata: bearer(otherAdmin))
        }
        #expect(again.skipped == 1)
        await other.stop()
        await collector.stop()
    }
}

/// The unprivileged path: datagram ICMP sockets, which work only where
/// `net.ipv4.ping_group_range` admits the process's group. It is closed on
/// this machine, so the test opens it inside a namespace it creates and
/// runs the sweeper there (collector-bench's `sweep`, the agent's code).
@Suite("Unprivileged ICMP", .serialized, .enabled(if: TestNetwork.isAvailable, "needs root and iproute2 for network namespaces"))
struct UnprivilegedICMPTests {
    static var bench: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("collector-bench").path
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: UnprivilegedICMPTests.bench), "collector-bench is built"))
    func datagramSocketsSweepWhereThePingGroupRangeAllows() throws {
        let network = try TestNetwork()
        defer { network.remove() }
        let sweep = ["ip", "netns", "exec", network.name, Self.bench, "sweep", "--socket", "datagram", "--timeout", "300", "--retries", "0",
                     "--from", network.address(2), "--to", network.address(3)]
        // Closed (the default "1 0"): a clear error, not a silent "all down".
        try network.inside("sysctl", "-q", "-w", "net.ipv4.ping_group_range=1 0")
        let refused = try Self.run(sweep)
        #expect(refused.status != 0)
        #expect(refused.output.contains("ping_group_range"))
        // Opened in the namespace only: the namespace's own address answers.
        try network.inside("sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647")
        let swept = try Self.run(sweep)
        #expect(swept.status == 0, "\(swept.output)")
        #expect(swept.output.contains("\(network.address(2)) up"))
        #expect(swept.output.contains("\(network.address(3)) down"))
    }
}
