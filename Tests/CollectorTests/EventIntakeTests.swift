@testable import AgentKit
import CollectorModel
import Foundation
import Testing

/// Applications beside an agent send the old bodies to its intake; an
/// answered event is in the spool and reaches the collector even across an
/// outage.
@Suite("Agent event intake", .serialized)
struct EventIntakeTests {
    @Test func trackedEventsAreSpooledBeforeTheAnswerAndArriveAfterAnOutage() async throws {
        let directory = try TemporaryDirectory("intake")
        var collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        let agent = try await RunningAgent(config: RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: token))
        #expect(await eventually { await agent.runtime.ports.intake != nil && agent.status.registrations > 0 })
        let port = try #require(await agent.runtime.ports.intake)
        let intake = "http://127.0.0.1:\(port)"

        await collector.stop()
        let tracked = try await http("POST", intake + "/api/track/", body: #"{"namespace": "shop", "name": "checkout", "value": 4}"#)
        #expect(tracked.status == 201)
        // The headers an HTTP/1.1 origin sends: the date of this second, made
        // on demand (no timer keeps it), and who answered.
        let date = try #require(tracked.headers["date"])
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let answered = try #require(format.date(from: date), "an HTTP date: \(date)")
        #expect(abs(answered.timeIntervalSinceNow) < 60)
        #expect(tracked.headers["server"] == "collector-agent")
        #expect((tracked.json as? [String: Any])?["namespace"] as? String == "shop")
        // Answered means spooled: the batch is on disk while the collector is away.
        #expect(await agent.runtime.spool.stats.batches == 1)

        let logged = try await http("POST", intake + "/log/event/", body: #"{"uid": "u1", "event": "login"}"#)
        #expect(logged.status == 200)
        let id = try #require(logged.json as? String)

        let refused = try await http("POST", intake + "/api/track/", body: #"{"namespace": "shop", "value": "x"}"#)
        #expect(refused.status == 400)
        #expect((refused.json as? [String: [String]])?["name"] == ["This field is required."])
        #expect(await agent.runtime.spool.stats.batches == 2)

        collector = try await collector.restarted()
        #expect(await eventually { (try? await collector.store.event(id: id)) != nil })
        let checkout = try await collector.store.points(namespace: "shop", name: "checkout", from: .distantPast, to: .distantFuture)
        #expect(checkout.map(\.value) == [4])
        await agent.stop()
        await collector.stop()
    }
}
