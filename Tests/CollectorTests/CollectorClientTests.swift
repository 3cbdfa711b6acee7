@testable import AgentKit
import CollectorClient
import Foundation
import Testing

@Suite("CollectorClient library", .serialized)
struct CollectorClientTests {
    @Test func immediateAndDeferredEventsReachTheCollectorThroughTheAgent() async throws {
        let directory = try TemporaryDirectory("client")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        let agent = try await RunningAgent(config: RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: token))
        #expect(await eventually { await agent.runtime.ports.intake != nil })
        let port = try #require(await agent.runtime.ports.intake)
        let client = CollectorClient(intake: try #require(URL(string: "http://127.0.0.1:\(port)")))

        try await client.log(namespace: "app", name: "immediate", value: 1)
        await #expect(throws: CollectorClientError.self) { try await client.log(namespace: "", name: "x", value: 1) }

        let deferred = DeferredCollectorClient(client: client)
        for value in 0..<25 { deferred.log(namespace: "app", name: "deferred", value: Double(value)) }
        await deferred.shutdown()
        let counters = deferred.counters
        #expect(counters.pending == 0 && counters.sent == 25 && counters.dropped == 0 && counters.failed == 0)

        #expect(await eventually { (try? await collector.store.points(namespace: "app", name: "deferred", from: .distantPast, to: .distantFuture).count) == 25 })
        #expect(try await collector.store.points(namespace: "app", name: "immediate", from: .distantPast, to: .distantFuture).count == 1)
        await agent.stop()
        await collector.stop()
    }

    @Test func aFullQueueDropsTheOldestAndCountsThem() async throws {
        // Nothing listens here: every send fails fast, so the queue fills.
        let client = CollectorClient(intake: try #require(URL(string: "http://127.0.0.1:9")), timeout: 1)
        let deferred = DeferredCollectorClient(client: client, capacity: 2, retries: 0)
        for value in 0..<50 { deferred.log(namespace: "app", name: "x", value: Double(value)) }
        await deferred.shutdown()
        let counters = deferred.counters
        #expect(counters.pending == 0)
        #expect(counters.sent == 0)
        #expect(counters.dropped + counters.failed == 50)
        #expect(counters.dropped > 0)
    }
}
