import CollectorModel
import CollectorServer
import CollectorStore
import Foundation
import Testing

/// What both backends implement so far: the suite below runs every case on
/// each of them, the same assertions against SQLite and a real PostgreSQL.
typealias SharedStore = TokenStore & UserStore & AgentStore & IngestStore & BacklogReporting

protocol BacklogReporting: Sendable {
    func ingestBacklog() async throws -> Int
}

extension SQLiteStore: BacklogReporting {}
extension PostgresStore: BacklogReporting {}

enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    func withStore<T>(_ body: (any SharedStore) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            let directory = try TemporaryDirectory("store")
            return try await body(try SQLiteStore(dataDirectory: directory.path))
        case .postgres:
            let database = try PostgresServer.freshDatabase()
            return try await PostgresServer.withStore(database.location, password: database.password) { try await body($0) }
        }
    }
}

@Suite("Store, on SQLite and PostgreSQL")
struct StoreTests {
    static func registerAgent(_ store: any SharedStore, _ id: String = "agent-1", site: String = "lab") async throws -> AgentRecord {
        try await store.register(AgentRegistration(agentID: id, site: site, hostname: "host", agentVersion: "1",
                                                   instance: nil, instanceUUID: nil), at: Date())
    }

    static func points(_ count: Int, name: String = "n", start: Double = 1_700_000_000) -> [SeriesPoint] {
        (0..<count).map { SeriesPoint(namespace: "test", name: name, time: Date(timeIntervalSince1970: start + Double($0)), value: Double($0)) }
    }

    @Test(arguments: Backend.allCases)
    func batchCommittedTwiceIsStoredOnce(_ backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await Self.registerAgent(store)
            let batch = IngestBatch(agentID: "agent-1", sequence: 1, points: Self.points(10))
            #expect(try await store.commit([batch], at: Date()) == [.stored])
            #expect(try await store.commit([batch], at: Date()) == [.duplicate])
            #expect(try await store.ingestBacklog() == 10)
            #expect(try await store.agent(id: "agent-1")?.highWaterMark == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func groupCommitKeepsOrderAndMarksDuplicatesWithinOneCall(_ backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await Self.registerAgent(store)
            let one = IngestBatch(agentID: "agent-1", sequence: 1, points: Self.points(1))
            let two = IngestBatch(agentID: "agent-1", sequence: 2, points: Self.points(1, start: 1_700_000_100))
            #expect(try await store.commit([one, two, two], at: Date()) == [.stored, .stored, .duplicate])
            #expect(try await store.agent(id: "agent-1")?.highWaterMark == 2)
            #expect(try await store.ingestBacklog() == 2)
        }
    }

    @Test(arguments: Backend.allCases)
    func sequenceFromTheFutureIsRefusedAndChangesNothing(_ backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await Self.registerAgent(store)
            let future = IngestBatch(agentID: "agent-1", sequence: 5, points: Self.points(3))
            #expect(try await store.commit([future], at: Date()) == [.fromTheFuture(expected: 1)])
            #expect(try await store.ingestBacklog() == 0)
            #expect(try await store.agent(id: "agent-1")?.highWaterMark == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func declaredDropsOpenTheGapAndAreCounted(_ backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await Self.registerAgent(store)
            let afterDrops = IngestBatch(agentID: "agent-1", sequence: 5, droppedThrough: 4, points: Self.points(1))
            #expect(try await store.commit([afterDrops], at: Date()) == [.stored])
            let agent = try await store.agent(id: "agent-1")
            #expect(agent?.highWaterMark == 5)
            #expect(agent?.droppedBatches == 4)
        }
    }

    /// A group commit with a batch for an unknown agent fails as a whole:
    /// the known agent's batch beside it is not stored either.
    @Test(arguments: Backend.allCases)
    func unknownAgentIsAnErrorAndChangesNothing(_ backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await Self.registerAgent(store)
            let known = IngestBatch(agentID: "agent-1", sequence: 1, points: Self.points(4))
            await #expect(throws: StoreError.unknownAgent("ghost")) {
                try await store.commit([.batch(known), .batch(IngestBatch(agentID: "ghost", sequence: 1))], at: Date())
            }
            #expect(try await store.ingestBacklog() == 0)
            #expect(try await store.agent(id: "agent-1")?.highWaterMark == 0)
            #expect(try await store.commit([known], at: Date()) == [.stored])
        }
    }

    @Test(arguments: Backend.allCases)
    func hostSamplesAreKeptAndTheLatestIsOnTheAgent(_ backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await Self.registerAgent(store)
            let samples = (0..<3).map { HostSample(time: Date(timeIntervalSince1970: 1_700_000_000 + Double($0) * 10), load1: Double($0)) }
            #expect(try await store.commit([IngestBatch(agentID: "agent-1", sequence: 1, hostSamples: samples)], at: Date()) == [.stored])
            let kept = try await store.hostSamples(agentID: "agent-1", limit: 2)
            #expect(kept.map(\.load1) == [2, 1])
            #expect(try await store.agent(id: "agent-1")?.latestHostSample?.load1 == 2)
            #expect(try await store.ingestBacklog() > 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func registrationKeepsTheInstanceUUIDAndRefusesAnotherSite(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let info = InstanceInfo(url: "https://app.example.org", contact: "Ada", email: "ada@example.org", organization: "Lab")
            let first = try await store.register(AgentRegistration(agentID: "a", site: "lab", hostname: "h", agentVersion: "1",
                                                                   instance: info, instanceUUID: nil), at: Date())
            let uuid = try #require(first.instanceUUID)
            let again = try await store.register(AgentRegistration(agentID: "a", site: "lab", hostname: "h2", agentVersion: "2",
                                                                   instance: info, instanceUUID: uuid), at: Date())
            #expect(again.instanceUUID == uuid)
            #expect(again.hostname == "h2")
            #expect(again.firstSeen == first.firstSeen)
            await #expect(throws: StoreError.instanceOwnedElsewhere(uuid)) {
                try await store.register(AgentRegistration(agentID: "b", site: "other", hostname: "h", agentVersion: "1",
                                                           instance: info, instanceUUID: uuid), at: Date())
            }
            await #expect(throws: StoreError.agentOwnedElsewhere("a")) {
                try await store.register(AgentRegistration(agentID: "a", site: "other", hostname: "h", agentVersion: "1",
                                                           instance: nil, instanceUUID: nil), at: Date())
            }
            #expect(try await store.agents(site: "lab").map(\.id) == ["a"])
            #expect(try await store.agents(site: "other").isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func tokensAreRevokedByIdOrName(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let (record, _) = try TokenIssuer.issue(name: "ops", scopes: ["read", "ingest"], site: "lab")
            try await store.insertToken(record)
            #expect(try await store.token(id: record.id)?.scopes == record.scopes)
            let revoked = try await store.revokeToken(idOrName: "ops", at: Date(timeIntervalSince1970: 1_700_000_000))
            #expect(revoked?.id == record.id)
            #expect(revoked?.revoked == Date(timeIntervalSince1970: 1_700_000_000))
            // Revoking again keeps the first time.
            #expect(try await store.revokeToken(idOrName: record.id, at: Date())?.revoked == Date(timeIntervalSince1970: 1_700_000_000))
            #expect(try await store.revokeToken(idOrName: "nobody", at: Date()) == nil)
            #expect(try await store.tokens().map(\.id) == [record.id])
        }
    }

    @Test(arguments: Backend.allCases)
    func usersAndTheirSessions(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            try await store.createUser(UserRecord(name: "ada", role: .admin, passwordHash: "h1", created: now, passwordChanged: now))
            await #expect(throws: StoreError.conflict("a user named 'ada' exists already")) {
                try await store.createUser(UserRecord(name: "ada", role: .viewer, passwordHash: "h2", created: now, passwordChanged: now))
            }
            #expect(try await store.user(name: "ada")?.role == .admin)
            try await store.insertSession(SessionRecord(idHash: "s1", userName: "ada", csrfToken: "c", created: now,
                                                        expires: now.addingTimeInterval(60)))
            try await store.insertSession(SessionRecord(idHash: "s2", userName: "ada", csrfToken: "c", created: now,
                                                        expires: Date().addingTimeInterval(3600)))
            #expect(try await store.session(idHash: "s1", at: now)?.1.name == "ada")
            #expect(try await store.session(idHash: "s1", at: now.addingTimeInterval(61)) == nil)
            #expect(try await store.deleteExpiredSessions(before: now.addingTimeInterval(61)) == 1)
            // Counted against the clock: s2 is the one still open.
            #expect(try await store.users().map(\.sessions) == [1])
            #expect(try await store.setPassword(name: "ada", hash: "h3", at: now))
            #expect(try await store.session(idHash: "s2", at: now) == nil)
            #expect(try await store.setPassword(name: "nobody", hash: "h", at: now) == false)
            #expect(try await store.deleteUser(name: "ada"))
            #expect(try await store.users().isEmpty)
            #expect(try await store.deleteUser(name: "ada") == false)
        }
    }
}

@Suite("SQLite store")
struct SQLiteStoreTests {
    let directory: TemporaryDirectory
    let store: SQLiteStore

    init() throws {
        directory = try TemporaryDirectory("store")
        store = try SQLiteStore(dataDirectory: directory.path)
    }

    @Test func batchPointsAreReadBack() async throws {
        _ = try await StoreTests.registerAgent(store)
        #expect(try await store.commit([IngestBatch(agentID: "agent-1", sequence: 1, points: StoreTests.points(10))], at: Date()) == [.stored])
        #expect(try await store.points(namespace: "test", name: "n", from: .distantPast, to: .distantFuture).count == 10)
    }

    @Test func registrationCreatesTheInstanceOnce() async throws {
        let info = InstanceInfo(url: "https://app.example.org", contact: "Ada", email: "ada@example.org", organization: "Lab")
        let first = try await store.register(AgentRegistration(agentID: "a", site: "lab", hostname: "h", agentVersion: "1",
                                                               instance: info, instanceUUID: nil), at: Date())
        _ = try await store.register(AgentRegistration(agentID: "a", site: "lab", hostname: "h", agentVersion: "1",
                                                       instance: info, instanceUUID: first.instanceUUID), at: Date())
        #expect(try await store.instances(InstanceQuery()).total == 1)
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
