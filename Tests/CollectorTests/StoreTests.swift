import CollectorModel
import CollectorServer
import CollectorStore
import Foundation
import Testing

@Suite("SQLite store")
struct StoreTests {
    let directory: TemporaryDirectory
    let store: SQLiteStore

    init() throws {
        directory = try TemporaryDirectory("store")
        store = try SQLiteStore(dataDirectory: directory.path)
    }

    func registerAgent(_ id: String = "agent-1", site: String = "lab") async throws -> AgentRecord {
        try await store.register(AgentRegistration(agentID: id, site: site, hostname: "host", agentVersion: "1",
                                                   instance: nil, instanceUUID: nil), at: Date())
    }

    func points(_ count: Int, name: String = "n", start: Double = 1_700_000_000) -> [SeriesPoint] {
        (0..<count).map { SeriesPoint(namespace: "test", name: name, time: Date(timeIntervalSince1970: start + Double($0)), value: Double($0)) }
    }

    @Test func batchCommittedTwiceIsStoredOnce() async throws {
        _ = try await registerAgent()
        let batch = IngestBatch(agentID: "agent-1", sequence: 1, points: points(10))
        #expect(try await store.commit([batch], at: Date()) == [.stored])
        #expect(try await store.commit([batch], at: Date()) == [.duplicate])
        let stored = try await store.points(namespace: "test", name: "n", from: .distantPast, to: .distantFuture)
        #expect(stored.count == 10)
        #expect(try await store.agent(id: "agent-1")?.highWaterMark == 1)
    }

    @Test func groupCommitKeepsOrderAndMarksDuplicatesWithinOneCall() async throws {
        _ = try await registerAgent()
        let one = IngestBatch(agentID: "agent-1", sequence: 1, points: points(1))
        let two = IngestBatch(agentID: "agent-1", sequence: 2, points: points(1, start: 1_700_000_100))
        #expect(try await store.commit([one, two, two], at: Date()) == [.stored, .stored, .duplicate])
        #expect(try await store.agent(id: "agent-1")?.highWaterMark == 2)
    }

    @Test func sequenceFromTheFutureIsRefusedAndChangesNothing() async throws {
        _ = try await registerAgent()
        let future = IngestBatch(agentID: "agent-1", sequence: 5, points: points(3))
        #expect(try await store.commit([future], at: Date()) == [.fromTheFuture(expected: 1)])
        #expect(try await store.points(namespace: "test", name: "n", from: .distantPast, to: .distantFuture).isEmpty)
        #expect(try await store.agent(id: "agent-1")?.highWaterMark == 0)
    }

    @Test func declaredDropsOpenTheGapAndAreCounted() async throws {
        _ = try await registerAgent()
        let afterDrops = IngestBatch(agentID: "agent-1", sequence: 5, droppedThrough: 4, points: points(1))
        #expect(try await store.commit([afterDrops], at: Date()) == [.stored])
        let agent = try await store.agent(id: "agent-1")
        #expect(agent?.highWaterMark == 5)
        #expect(agent?.droppedBatches == 4)
    }

    @Test func unknownAgentIsAnError() async throws {
        await #expect(throws: StoreError.unknownAgent("ghost")) {
            try await store.commit([IngestBatch(agentID: "ghost", sequence: 1)], at: Date())
        }
    }

    @Test func registrationCreatesTheInstanceOnceAndKeepsItsUUID() async throws {
        let info = InstanceInfo(url: "https://app.example.org", contact: "Ada", email: "ada@example.org", organization: "Lab")
        let first = try await store.register(AgentRegistration(agentID: "a", site: "lab", hostname: "h", agentVersion: "1",
                                                               instance: info, instanceUUID: nil), at: Date())
        let uuid = try #require(first.instanceUUID)
        let again = try await store.register(AgentRegistration(agentID: "a", site: "lab", hostname: "h", agentVersion: "1",
                                                               instance: info, instanceUUID: uuid), at: Date())
        #expect(again.instanceUUID == uuid)
        #expect(try await store.instances(InstanceQuery()).total == 1)
        // Another site may not claim it.
        await #expect(throws: StoreError.instanceOwnedElsewhere(uuid)) {
            try await store.register(AgentRegistration(agentID: "b", site: "other", hostname: "h", agentVersion: "1",
                                                       instance: info, instanceUUID: uuid), at: Date())
        }
    }

    @Test func tokensAreRevokedByIdOrName() async throws {
        let (record, _) = try TokenIssuer.issue(name: "ops", scopes: ["read"], site: nil)
        try await store.insertToken(record)
        let revoked = try await store.revokeToken(idOrName: "ops", at: Date())
        #expect(revoked?.id == record.id)
        #expect(revoked?.revoked != nil)
        #expect(try await store.revokeToken(idOrName: "nobody", at: Date()) == nil)
    }

    @Test func instanceTextFilterTreatsLikeMetacharactersLiterally() async throws {
        for (index, url) in ["https://a.example.org/100%", "https://b.example.org/x_y", "https://c.example.org"].enumerated() {
            _ = try await store.register(AgentRegistration(agentID: "agent-\(index)", site: "lab", hostname: "h", agentVersion: "1",
                                                           instance: InstanceInfo(url: url, contact: "c", email: "e@x", organization: ""),
                                                           instanceUUID: nil), at: Date())
        }
        #expect(try await store.instances(InstanceQuery(text: "%")).instances.map(\.info.url) == ["https://a.example.org/100%"])
        #expect(try await store.instances(InstanceQuery(text: "_")).instances.map(\.info.url) == ["https://b.example.org/x_y"])
    }

    @Test func databaseFileIsOwnerOnlyAndInWALMode() async throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(FileManager.default.fileExists(atPath: store.path + "-wal"))
    }
}
