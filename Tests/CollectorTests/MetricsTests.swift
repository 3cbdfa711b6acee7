@testable import AgentKit
import CollectorModel
import Foundation
import Testing

/// `/metrics` on the collector's HTTP port and the agent's metrics port, in
/// the Prometheus text format, counting what really happened.
@Suite("Self-metrics", .serialized)
struct MetricsTests {
    /// The value of one sample line, e.g. `collector_batches_stored_total`.
    static func value(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    @Test func batchesAcksAndRPCsAreCountedOnBothSides() async throws {
        let directory = try TemporaryDirectory("metrics")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        let agent = try await RunningAgent(config: RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: token))
        #expect(await eventually { await agent.runtime.ports.intake != nil && agent.status.connected })
        let port = try #require(await agent.runtime.ports.intake)
        for value in 1...3 {
            let tracked = try await http("POST", "http://127.0.0.1:\(port)/api/track/", body: #"{"namespace": "m", "name": "n", "value": \#(value)}"#)
            #expect(tracked.status == 201)
        }
        #expect(await eventually { agent.status.acknowledged >= 3 })

        let collectorText = try await http("GET", "http://127.0.0.1:\(collector.addresses.httpPort)/metrics")
        #expect(collectorText.status == 200)
        #expect(collectorText.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect((Self.value("collector_batches_stored_total", in: collectorText.body) ?? 0) >= 3)
        #expect((Self.value("collector_acks_sent_total", in: collectorText.body) ?? 0) >= 3)
        #expect(Self.value("collector_connected_agents", in: collectorText.body) == 1)
        #expect(collectorText.body.contains(#"collector_rpc_seconds_count{method="collector.v1.Ingest/Register",code="ok"}"#))
        #expect(collectorText.body.contains("collector_store_commit_seconds_bucket"))
        // An ack-latency observation for every ack counted (recorded first).
        #expect((Self.value("collector_batch_ack_seconds_count", in: collectorText.body) ?? 0)
                >= (Self.value("collector_acks_sent_total", in: collectorText.body) ?? .infinity))
        // Ack latency is read against a 5 ms target: its buckets step by a
        // millisecond or less up to 10 ms.
        for bound in ["0.00075", "0.0015", "0.003", "0.004", "0.005", "0.006", "0.0075"] {
            #expect(collectorText.body.contains(#"collector_batch_ack_seconds_bucket{le="\#(bound)"}"#), "no bucket at \(bound) s")
        }

        let metricsPort = try #require(await agent.runtime.ports.metrics)
        let agentText = try await http("GET", "http://127.0.0.1:\(metricsPort)/metrics")
        #expect(agentText.status == 200)
        #expect((Self.value("agent_acks_received_total", in: agentText.body) ?? 0) >= 3)
        #expect(Self.value("agent_connected", in: agentText.body) == 1)
        #expect(Self.value("agent_spool_dropped_batches_total", in: agentText.body) == 0)
        await agent.stop()
        await collector.stop()
    }

    /// The agent's own metrics do not ride on an input: with the events
    /// input off, `/metrics` still answers on its own port.
    @Test func theAgentServesMetricsWithTheEventsInputOff() async throws {
        let directory = try TemporaryDirectory("metrics-no-events")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        var config = RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: token)
        config.inputs[EventsInput.self].enabled = false
        let agent = try await RunningAgent(config: config)
        #expect(await eventually { await agent.runtime.ports.metrics != nil && agent.status.connected })
        let port = try #require(await agent.runtime.ports.metrics)
        let text = try await http("GET", "http://127.0.0.1:\(port)/metrics")
        #expect(text.status == 200)
        #expect(Self.value("agent_connected", in: text.body) == 1)
        #expect(await agent.runtime.ports.intake == nil)
        await agent.stop()
        await collector.stop()
    }
}
