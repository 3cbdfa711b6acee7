@testable import AgentKit
import CollectorModel
import CollectorProto
import CollectorServer
import CollectorStore
import Foundation
import GRPCCore
import Testing

/// Agents against a real collector: registration, host stats, exactly-once
/// delivery across lost acks and outages.
@Suite("Delivery", .serialized)
struct DeliveryTests {
    func agentToken(_ collector: RunningCollector, site: String = "lab") async throws -> String {
        try await collector.createToken(scopes: ["ingest"], site: site, name: "agents-\(site)")
    }

    @Test func registrationPersistsTheInstanceUUIDAcrossAgentRestarts() async throws {
        let directory = try TemporaryDirectory("registration")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        var config = RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: try await agentToken(collector))
        config.instance = InstanceInfo(url: "https://events.example.org", contact: "Ada", email: "ada@example.org", organization: "Lab")

        let first = try await RunningAgent(config: config)
        #expect(await eventually { first.status.instanceUUID != nil })
        let uuid = try #require(first.status.instanceUUID)
        await first.stop()

        config.instance?.contact = "Grace"
        let second = try await RunningAgent(config: config)
        #expect(await eventually { second.status.registrations > 0 })
        #expect(second.status.instanceUUID == uuid)
        await second.stop()

        let instances = try await collector.store.instances(InstanceQuery())
        #expect(instances.total == 1)
        #expect(instances.instances.first?.uuid == uuid)
        // The config change was sent as UpdateInstance.
        #expect(instances.instances.first?.info.contact == "Grace")
        await collector.stop()
    }

    @Test func hostStatsArriveAndAreListed() async throws {
        let directory = try TemporaryDirectory("hoststats")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        var config = RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: try await agentToken(collector))
        config.inputs[HostStatsInput.self].enabled = true
        config.inputs[HostStatsInput.self].interval = ConfigDurationValue(.milliseconds(200))
        let agent = try await RunningAgent(config: config)

        let listed = await eventually {
            let agents = try? await collector.withClient { client in
                try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: bearer(collector.adminToken)).agents
            }
            return agents?.first?.hasLatestHostSample == true
        }
        #expect(listed)
        let agents = try await collector.withClient { client in
            try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: bearer(collector.adminToken)).agents
        }
        let sample = try #require(agents.first?.latestHostSample)
        #expect(agents.first?.connected == true)
        #expect(sample.memoryTotalBytes > 0)
        #expect(sample.uptimeSeconds > 0)
        #expect(sample.disks.contains { $0.mount == "/" && $0.totalBytes > 0 })
        await agent.stop()
        await collector.stop()
    }

    @Test func theAgentsListShowsTheSpoolEachAgentLastReported() async throws {
        let directory = try TemporaryDirectory("spoolreport")
        var collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let config = RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: try await agentToken(collector))
        let agent = try await RunningAgent(config: config)
        #expect(await eventually { agent.status.registrations > 0 })
        await collector.stop()

        // Five batches wait on the agent's disk while the collector is away.
        for index in 0..<5 {
            try await agent.runtime.builder.add([SeriesPoint(namespace: "test", name: "spooled", time: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)),
                                                             value: Double(index))])
            try await agent.runtime.builder.flush()
        }
        let waiting = await agent.runtime.spool.stats
        #expect(waiting.batches == 5)
        collector = try await collector.restarted()
        func listed() async throws -> Collector_V1_Agent? {
            try await collector.withClient { client in
                try await Collector_V1_Query.Client(wrapping: client).listAgents(.init(), metadata: bearer(collector.adminToken)).agents
            }.first
        }
        // All five went out together (the window is 8), each saying five wait.
        #expect(await eventually(timeout: .seconds(30)) { (try? await listed())?.highWaterMark == 5 })
        var shown = try #require(try await listed())
        #expect(shown.hasSpool)
        #expect(shown.spool.batches == 5)
        #expect(shown.spool.bytes == UInt64(waiting.bytes))
        #expect(shown.spoolReportedUnixNano > 0)

        // Connected, a batch goes out alone: the spool holds only it.
        try await agent.runtime.builder.add([SeriesPoint(namespace: "test", name: "spooled", time: Date(timeIntervalSince1970: 1_700_000_100), value: 9)])
        try await agent.runtime.builder.flush()
        #expect(await eventually(timeout: .seconds(30)) { (try? await listed())?.highWaterMark == 6 })
        shown = try #require(try await listed())
        #expect(shown.spool.batches == 1)
        #expect(shown.spool.bytes > 0 && shown.spool.bytes < UInt64(waiting.bytes))
        await agent.stop()
        await collector.stop()
    }

    /// Sequence 1 of an agent: `points` values 0, 1, … of `test`/`name`, a second apart.
    func firstBatch(agentID: String, name: String, points: Int) -> Collector_V1_Batch {
        var batch = Collector_V1_Batch()
        batch.agentID = agentID
        batch.sequence = 1
        batch.points = (0..<points).map { index in
            var point = Collector_V1_Point()
            point.namespace = "test"
            point.name = name
            point.timeUnixNano = UInt64(1_700_000_000 + index) * 1_000_000_000
            point.value = Double(index)
            return point
        }
        return batch
    }

    @Test func aBatchResentAfterADroppedAckIsStoredOnce() async throws {
        let directory = try TemporaryDirectory("resend")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let token = try await agentToken(collector)
        let sent = firstBatch(agentID: "agent-resend", name: "resend", points: 5)
        let acks = try await collector.withClient { client in
            let ingest = Collector_V1_Ingest.Client(wrapping: client)
            var register = Collector_V1_RegisterRequest()
            register.agentID = "agent-resend"
            _ = try await ingest.register(register, metadata: bearer(token))
            // First stream: the batch goes out and the stream is torn down
            // without reading the ack, as when a connection drops.
            _ = try? await ingest.push(metadata: bearer(token)) { writer in
                try await writer.write(sent)
            } onResponse: { _ in
                throw CancellationError()
            }
            // Wait until it is stored, then resend it as a reconnecting agent would.
            _ = await eventually { (try? await collector.store.agent(id: "agent-resend"))??.highWaterMark == 1 }
            return try await ingest.push(metadata: bearer(token)) { writer in
                try await writer.write(sent)
            } onResponse: { response in
                var acks: [Collector_V1_Ack] = []
                for try await ack in response.messages {
                    acks.append(ack)
                    break
                }
                return acks
            }
        }
        #expect(acks.map(\.sequence) == [1])
        #expect(acks.first?.duplicate == true)
        let stored = try await collector.store.points(namespace: "test", name: "resend", from: .distantPast, to: .distantFuture)
        #expect(stored.count == 5)
        await collector.stop()
    }

    /// A push stream never ends on its own: a stopping collector ends it,
    /// after acknowledging what it took, so the agent resends the rest to
    /// the next collector. Without that the collector would not stop.
    @Test(.timeLimit(.minutes(1))) func aStoppingCollectorEndsAnOpenPushStreamAsUnavailable() async throws {
        let directory = try TemporaryDirectory("stopstream")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let token = try await agentToken(collector)
        let sent = firstBatch(agentID: "agent-stop", name: "stop", points: 1)
        // The agent keeps its side open until the collector ends the stream.
        let (ended, endStream) = AsyncStream<Void>.makeStream()
        let outcome = try await collector.withClient { client in
            let ingest = Collector_V1_Ingest.Client(wrapping: client)
            var register = Collector_V1_RegisterRequest()
            register.agentID = "agent-stop"
            _ = try await ingest.register(register, metadata: bearer(token))
            return try await ingest.push(metadata: bearer(token)) { writer in
                try await writer.write(sent)
                for await _ in ended {}
            } onResponse: { response in
                defer { endStream.finish() }
                return await collector.stop(atFirstOf: response.messages)
            }
        }
        await outcome.stopping?.value
        #expect(outcome.messages.map(\.sequence) == [1])
        #expect((outcome.ending as? RPCError)?.code == .unavailable, "\(String(describing: outcome.ending))")
        #expect(outcome.stopping != nil)
        let restarted = try await collector.restarted()
        let stored = try await restarted.store.points(namespace: "test", name: "stop", from: .distantPast, to: .distantFuture)
        #expect(stored.map(\.value) == [0])
        await restarted.stop()
    }

    @Test func aCollectorStoppedAndRestartedReceivesEverySpooledBatchInOrder() async throws {
        let directory = try TemporaryDirectory("outage")
        var collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let config = RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: try await agentToken(collector))
        let agent = try await RunningAgent(config: config)
        #expect(await eventually { agent.status.registrations > 0 })

        await collector.stop()
        // While the collector is away the agent keeps producing: 20 batches.
        let start = 1_700_000_000.0
        for index in 0..<20 {
            try await agent.runtime.builder.add([SeriesPoint(namespace: "test", name: "outage",
                                                             time: Date(timeIntervalSince1970: start + Double(index)), value: Double(index))])
            try await agent.runtime.builder.flush()
        }
        #expect(await agent.runtime.spool.stats.batches == 20)

        collector = try await collector.restarted()
        let agentID = agent.runtime.state.agentID
        #expect(await eventually(timeout: .seconds(30)) { (try? await collector.store.agent(id: agentID))??.highWaterMark == 20 })
        #expect(await eventually { await agent.runtime.spool.stats.batches == 0 })

        let stored = try await collector.store.points(namespace: "test", name: "outage", from: .distantPast, to: .distantFuture)
        #expect(stored.map(\.value) == (0..<20).map(Double.init))
        await agent.stop()
        await collector.stop()
    }

    @Test func theSpoolBoundDropsTheOldestAndTheCollectorCountsExactlyThatGap() async throws {
        let directory = try TemporaryDirectory("spoolbound")
        var collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        var config = RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: try await agentToken(collector))
        config.spool.maxBytes = ByteCount(4096)
        let agent = try await RunningAgent(config: config)
        #expect(await eventually { agent.status.registrations > 0 })
        await collector.stop()

        for index in 0..<30 {
            let points = (0..<10).map { offset in
                SeriesPoint(namespace: "test", name: "bounded", time: Date(timeIntervalSince1970: 1_700_000_000 + Double(index * 10 + offset)),
                            value: Double(index))
            }
            try await agent.runtime.builder.add(points)
            try await agent.runtime.builder.flush()
        }
        let stats = await agent.runtime.spool.stats
        #expect(stats.droppedBatches > 0)
        #expect(stats.bytes <= 4096)
        #expect(stats.batches + Int(stats.droppedBatches) == 30)

        collector = try await collector.restarted()
        let agentID = agent.runtime.state.agentID
        #expect(await eventually(timeout: .seconds(30)) { (try? await collector.store.agent(id: agentID))??.highWaterMark == 30 })
        let record = try #require(try await collector.store.agent(id: agentID))
        #expect(record.droppedBatches == stats.droppedBatches)
        let stored = try await collector.store.points(namespace: "test", name: "bounded", from: .distantPast, to: .distantFuture)
        // Exactly the batches that were not dropped arrived: the newest ones.
        #expect(Set(stored.map(\.value)) == Set((Int(stats.droppedBatches)..<30).map(Double.init)))
        await agent.stop()
        await collector.stop()
    }
}
