@testable import AgentKit
import CollectorModel
import CollectorProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Testing

/// Pools and the agents that sweep them: a pool must name an agent that
/// exists (or say it will), and a change reaches the agent in seconds over
/// its open watch stream, not at its next poll.
@Suite("Pool assignments", .serialized)
struct PoolAssignmentTests {
    static func pool(_ name: String, agent: String, computers: [String] = ["127.0.0.1"]) -> Collector_V1_Pool {
        var pool = Collector_V1_Pool()
        pool.name = name
        pool.room = "R"
        pool.watts = 60
        pool.agentID = agent
        pool.intervalMs = 60_000
        pool.computers = computers
        return pool
    }

    @Test func aPoolForAnUnknownAgentIsRefusedNamingTheKnownOnes() async throws {
        let directory = try TemporaryDirectory("pool-agent")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let admin = collector.adminToken
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        _ = try await collector.withClient { client in
            var request = Collector_V1_RegisterRequest()
            request.agentID = "lab-agent-1"
            request.hostname = "lab-pc"
            return try await Collector_V1_Ingest.Client(wrapping: client).register(request, metadata: bearer(token))
        }
        let before = try await collector.store.pools()
        var create = Collector_V1_CreatePoolRequest()
        create.pool = Self.pool("room-101", agent: "not-an-agent")
        let refusal = await #expect(throws: RPCError.self) {
            _ = try await collector.withClient { client in
                try await Collector_V1_Admin.Client(wrapping: client).createPool(create, metadata: bearer(admin))
            }
        }
        #expect(refusal?.code == .failedPrecondition)
        #expect(refusal?.message.contains("no agent 'not-an-agent' has registered") == true, "\(String(describing: refusal))")
        #expect(refusal?.message.contains("lab-agent-1 (lab-pc, site lab)") == true)
        #expect(refusal?.message.contains("--allow-unregistered-agent") == true)
        #expect(try await collector.store.pools() == before)

        // Said explicitly, an agent that registers later is fine.
        create.allowUnregisteredAgent = true
        let created = try await collector.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).createPool(create, metadata: bearer(admin))
        }
        #expect(created.agentID == "not-an-agent")

        // Moving a pool to an unknown agent is refused the same way.
        var update = Collector_V1_UpdatePoolRequest()
        update.name = "room-101"
        update.agentID = "still-not-an-agent"
        let moved = await #expect(throws: RPCError.self) {
            _ = try await collector.withClient { client in
                try await Collector_V1_Admin.Client(wrapping: client).updatePool(update, metadata: bearer(admin))
            }
        }
        #expect(moved?.code == .failedPrecondition)
        update.agentID = "lab-agent-1"
        _ = try await collector.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).updatePool(update, metadata: bearer(admin))
        }
        #expect(try await collector.store.pool(name: "room-101")?.agentID == "lab-agent-1")
        await collector.stop()
    }

    /// The agent polls only every hour here: what it learns within seconds
    /// came down the watch stream.
    @Test func changesReachTheAgentWithinSeconds() async throws {
        let directory = try TemporaryDirectory("pool-watch")
        let collector = try await RunningCollector.start(dataDirectory: directory.path + "/collector")
        let adminToken = collector.adminToken
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        var config = RunningAgent.config(stateDir: directory.path + "/agent", collector: collector, token: token)
        config.uplink.poolRefresh = ConfigDurationValue(.seconds(3600))
        let agent = try await RunningAgent(config: config)
        let state = agent.runtime.state
        #expect(await eventually { agent.status.connected })
        let withAdmin = { @Sendable (body: @Sendable (Collector_V1_Admin.Client<HTTP2ClientTransport.Posix>) async throws -> Void) in
            try await collector.withClient { client in try await body(Collector_V1_Admin.Client(wrapping: client)) }
        }
        func within(_ seconds: Int, _ condition: @escaping () -> Bool) async -> Bool {
            await eventually(timeout: .seconds(seconds)) { condition() }
        }

        try await withAdmin { admin in
            var create = Collector_V1_CreatePoolRequest()
            create.pool = Self.pool("lab-1", agent: state.agentID)
            _ = try await admin.createPool(create, metadata: bearer(adminToken))
        }
        #expect(await within(5) { state.pools.current.map(\.name) == ["lab-1"] }, "a new pool")

        try await withAdmin { admin in
            var computers = Collector_V1_ComputersRequest()
            computers.pool = "lab-1"
            computers.addresses = ["127.0.0.2"]
            _ = try await admin.addComputers(computers, metadata: bearer(adminToken))
        }
        #expect(await within(5) { state.pools.current.first?.computers == ["127.0.0.1", "127.0.0.2"] }, "added computers")

        try await withAdmin { admin in
            var update = Collector_V1_UpdatePoolRequest()
            update.name = "lab-1"
            update.agentID = "another-agent"
            update.allowUnregisteredAgent = true
            _ = try await admin.updatePool(update, metadata: bearer(adminToken))
        }
        #expect(await within(5) { state.pools.current.isEmpty }, "a pool moved to another agent")

        try await withAdmin { admin in
            var create = Collector_V1_CreatePoolRequest()
            create.pool = Self.pool("lab-2", agent: state.agentID)
            _ = try await admin.createPool(create, metadata: bearer(adminToken))
            var delete = Collector_V1_DeletePoolRequest()
            delete.name = "lab-2"
            _ = try await admin.deletePool(delete, metadata: bearer(adminToken))
        }
        try await Task.sleep(for: .seconds(1))
        #expect(await within(5) { state.pools.current.isEmpty }, "a pool created and deleted")
        await agent.stop()
        await collector.stop()
    }

    /// An agent keeps its watch stream open for as long as it runs; a
    /// stopping collector must end it (cleanly: the agent asks again at the
    /// next collector) rather than wait for the agent to hang up.
    @Test(.timeLimit(.minutes(1))) func aStoppingCollectorEndsAnOpenWatchStream() async throws {
        let directory = try TemporaryDirectory("pool-watch-stop")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        let outcome = try await collector.withClient { client in
            let ingest = Collector_V1_Ingest.Client(wrapping: client)
            var register = Collector_V1_RegisterRequest()
            register.agentID = "lab-agent-stop"
            _ = try await ingest.register(register, metadata: bearer(token))
            var watch = Collector_V1_AssignedPoolsRequest()
            watch.agentID = "lab-agent-stop"
            return try await ingest.watchAssignedPools(watch, metadata: bearer(token)) { response in
                await collector.stop(atFirstOf: response.messages)
            }
        }
        await outcome.stopping?.value
        #expect(outcome.messages.map(\.pools.count) == [0], "the pools at once, then the end")
        #expect(outcome.ending == nil, "\(String(describing: outcome.ending))")
        #expect(outcome.stopping != nil)
    }

    /// The ping input sleeps on the assignments between sweeps: a change
    /// wakes it at once, the same pools again do not, and what was assigned
    /// is still there when the agent starts again.
    @Test(.timeLimit(.minutes(1))) func aChangeWakesTheWaiterAndOutlivesARestart() async throws {
        let directory = try TemporaryDirectory("pool-wait")
        let state = try AgentState(directory: directory.path)
        let assignments = state.pools
        let lab = Pool(wire: Self.pool("lab-1", agent: state.agentID))

        let started = ContinuousClock.now
        await assignments.waitForChange(until: started + .milliseconds(100))
        #expect(ContinuousClock.now - started >= .milliseconds(100), "no change: the deadline ends the wait")

        let waiter = Task { await assignments.waitForChange(until: nil) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(try assignments.replace(with: [lab]))
        await waiter.value
        #expect(try !assignments.replace(with: [lab]), "the same pools are no change")

        let cancelled = Task { await assignments.waitForChange(until: nil) }
        cancelled.cancel()
        await cancelled.value

        #expect(try AgentState(directory: directory.path).pools.current == [lab])
    }
}
