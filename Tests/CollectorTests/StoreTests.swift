import CollectorModel
import CollectorServer
import CollectorStore
import Foundation
import Testing

/// Both backends implement the whole store: the suites that take a
/// `Backend` run every case on each, the same assertions against SQLite
/// and a real PostgreSQL.
typealias SharedStore = Store

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

    /// A collector on this backend: SQLite in its data directory, or a new
    /// database of the test cluster.
    func startCollector(dataDirectory: String, config: CollectorConfig = RunningCollector.testConfig) async throws -> RunningCollector {
        switch self {
        case .sqlite:
            return try await RunningCollector.start(dataDirectory: dataDirectory, config: config)
        case .postgres:
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            let shared = try PostgresServer.collectorConfig(config, passwordFile: (dataDirectory as NSString).appendingPathComponent("store-password"))
            return try await RunningCollector.start(dataDirectory: dataDirectory, config: shared)
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
    func seriesAreListedByNameInByteOrder(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let names = [("app", "Zeta"), ("app", "alpha"), ("host", "cpu.user"), ("lab", "Room-1.online")]
            let points = names.map { SeriesPoint(namespace: $0.0, name: $0.1, time: Date(timeIntervalSince1970: 1_700_000_000), value: 1) }
            #expect(try await store.commit([.points(points)], at: Date()) == [.stored])
            let all = try await store.seriesNames(filter: "", namespace: nil, limit: 10)
            #expect(all.series.map(\.name) == ["Zeta", "alpha", "cpu.user", "Room-1.online"])
            #expect(all.truncated == false)
            let some = try await store.seriesNames(filter: "A", namespace: "app", limit: 1)
            #expect(some.series == [SeriesName(namespace: "app", name: "Zeta")])
            #expect(some.truncated)
            #expect(try await store.seriesNames(filter: "room", namespace: nil, limit: 10).series.map(\.namespace) == ["lab"])
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

    @Test func databaseFileIsOwnerOnlyAndInWALMode() async throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(FileManager.default.fileExists(atPath: store.path + "-wal"))
    }
}

@Suite("Instances and events, on SQLite and PostgreSQL")
struct InstanceStoreTests {
    static let info = InstanceInfo(url: "https://app.example.org", contact: "Ada", email: "ada@example.org", organization: "Lab")

    static func crawl(_ uuid: UUID, at seconds: Double, ok: Bool = true, document: [String: JSONValue]? = nil) -> CrawlSample {
        CrawlSample(instanceUUID: uuid,
                    outcome: CrawlOutcome(time: Date(timeIntervalSince1970: seconds), result: ok ? "ok" : "timeout",
                                          httpStatus: ok ? 200 : 0, detail: ok ? "" : "no answer in 10 s"),
                    document: document)
    }

    @Test(arguments: Backend.allCases)
    func anInstanceIsRegisteredPatchedLocatedAndDeleted(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let created = try await store.registerInstance(Self.info, country: "DE", at: Date(timeIntervalSince1970: 1_700_000_000))
            #expect(try await store.instance(uuid: created.uuid) == created)
            #expect(created.enabled && created.country == "DE")
            try await store.setInstanceCountry(uuid: created.uuid, country: "FR", at: Date(timeIntervalSince1970: 1_700_000_100))
            #expect(try await store.countryTargets(checkedBefore: Date(timeIntervalSince1970: 1_700_000_050)).isEmpty)
            // A new URL may be a new server: its country is looked up again.
            let moved = try await store.patchInstance(uuid: created.uuid, InstancePatch(url: "https://new.example.org", enabled: false),
                                                      at: Date(timeIntervalSince1970: 1_700_000_200))
            #expect(moved?.info.url == "https://new.example.org")
            #expect(moved?.info.contact == "Ada")
            #expect(moved?.enabled == false)
            #expect(moved?.country == "FR")
            #expect(try await store.countryTargets(checkedBefore: Date(timeIntervalSince1970: 1_700_000_050)).map(\.uuid) == [created.uuid])
            #expect(try await store.patchInstance(uuid: UUID(), InstancePatch(contact: "x"), at: Date()) == nil)
            await #expect(throws: ValidationError.self) {
                try await store.patchInstance(uuid: created.uuid, InstancePatch(url: "not a url"), at: Date())
            }
            #expect(try await store.instance(uuid: created.uuid)?.info.url == "https://new.example.org")
            #expect(try await store.importInstances([created, Instance(uuid: UUID(), info: Self.info, enabled: true, country: "SE",
                                                                       created: Date(timeIntervalSince1970: 1_600_000_000),
                                                                       updated: Date(timeIntervalSince1970: 1_600_000_000))]) == 1)
            #expect(try await store.instances(InstanceQuery()).total == 2)
            #expect(try await store.deleteInstance(uuid: created.uuid))
            #expect(try await store.deleteInstance(uuid: created.uuid) == false)
            #expect(try await store.instances(InstanceQuery()).instances.map(\.country) == ["SE"])
        }
    }

    @Test(arguments: Backend.allCases)
    func anAgentsInstanceIsNotDeleted(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let agent = try await store.register(AgentRegistration(agentID: "a", site: "lab", hostname: "h", agentVersion: "1",
                                                                   instance: Self.info, instanceUUID: nil), at: Date())
            let uuid = try #require(agent.instanceUUID)
            await #expect(throws: StoreError.self) { try await store.deleteInstance(uuid: uuid) }
            #expect(try await store.instance(uuid: uuid)?.agentID == "a")
        }
    }

    /// A failing crawl keeps the last good document; history keeps the
    /// newest 50; the crawled numbers become points; only instances without
    /// an agent, enabled and not crawled since the time, are targets.
    @Test(arguments: Backend.allCases)
    func crawlsAreRecordedAndTargeted(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let instance = try await store.registerInstance(Self.info, country: "DE", at: Date(timeIntervalSince1970: 1_700_000_000))
            #expect(try await store.crawlTargets(uuid: nil, lastCrawledBefore: nil).map(\.uuid) == [instance.uuid])
            try await store.recordCrawls([Self.crawl(instance.uuid, at: 1_700_000_010, document: ["users": .integer(12), "version": .string("3.3")])])
            #expect(try await store.ingestBacklog() > 0)
            try await store.recordCrawls([Self.crawl(instance.uuid, at: 1_700_000_020, ok: false)])
            let stored = try #require(try await store.instance(uuid: instance.uuid))
            #expect(stored.lastCrawl?.result == "timeout")
            #expect(stored.crawledJSON?.contains("\"users\":12") == true)
            try await store.recordCrawls((0..<55).map { Self.crawl(instance.uuid, at: 1_700_001_000 + Double($0), ok: $0 % 2 == 0) })
            let history = try await store.crawlHistory(uuid: instance.uuid, limit: 100)
            #expect(history.count == 50)
            #expect(history.first?.time == Date(timeIntervalSince1970: 1_700_001_054))
            #expect(history.first?.httpStatus == 200)
            #expect(try await store.crawlTargets(uuid: nil, lastCrawledBefore: Date(timeIntervalSince1970: 1_700_001_054)).isEmpty)
            #expect(try await store.crawlTargets(uuid: nil, lastCrawledBefore: Date(timeIntervalSince1970: 1_700_001_055)).count == 1)
            _ = try await store.patchInstance(uuid: instance.uuid, InstancePatch(enabled: false), at: Date())
            #expect(try await store.crawlTargets(uuid: nil, lastCrawledBefore: nil).isEmpty)
            #expect(try await store.crawlTargets(uuid: instance.uuid, lastCrawledBefore: nil).count == 1)
            #expect(try await store.statisticsInputs().map(\.enabled) == [false])
        }
    }

    @Test(arguments: Backend.allCases)
    func theListFiltersAndSortsByCrawledFields(_ backend: Backend) async throws {
        try await backend.withStore { store in
            var uuids: [UUID] = []
            let documents: [[String: JSONValue]?] = [["users": .integer(5), "version": .string("3.3"), "open": .bool(true)],
                                                     ["users": .integer(50), "version": .float(3.3), "open": .bool(false)],
                                                     nil]
            for (index, document) in documents.enumerated() {
                let instance = try await store.registerInstance(
                    InstanceInfo(url: "https://\(index).example.org/\(index == 0 ? "100%" : "x_y")", contact: "c", email: "e@x",
                                 organization: index == 2 ? "Other" : "Lab"),
                    country: "DE", at: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)))
                uuids.append(instance.uuid)
                if let document { try await store.recordCrawls([Self.crawl(instance.uuid, at: 1_700_000_100, document: document)]) }
            }
            func list(_ query: InstanceQuery) async throws -> [UUID] { try await store.instances(query).instances.map(\.uuid) }
            #expect(try await list(InstanceQuery(text: "%")) == [uuids[0]])
            #expect(try await list(InstanceQuery(text: "_")) == [uuids[1], uuids[2]])
            #expect(try await list(InstanceQuery(filters: [.init(field: .crawled("users"), comparison: .greater, value: "10")])) == [uuids[1]])
            #expect(try await list(InstanceQuery(filters: [.init(field: .crawled("users"), comparison: .less, value: "10")])) == [uuids[0]])
            // "3.3" matches the string and the number.
            #expect(try await list(InstanceQuery(filters: [.init(field: .crawled("version"), comparison: .equal, value: "3.3")]))
                == [uuids[0], uuids[1]])
            #expect(try await list(InstanceQuery(filters: [.init(field: .crawled("open"), comparison: .equal, value: "true")])) == [uuids[0]])
            #expect(try await list(InstanceQuery(filters: [.init(field: .main(.created), comparison: .greater,
                                                                 value: "2023-11-14T22:13:20Z")])) == [uuids[1], uuids[2]])
            // Without the field, last either way.
            #expect(try await list(InstanceQuery(sortBy: .crawled("users"), descending: true)) == [uuids[1], uuids[0], uuids[2]])
            #expect(try await list(InstanceQuery(sortBy: .crawled("users"))) == [uuids[0], uuids[1], uuids[2]])
            #expect(try await list(InstanceQuery(organization: "Lab", crawlState: .ok)) == [uuids[0], uuids[1]])
            #expect(try await list(InstanceQuery(crawlState: .never)) == [uuids[2]])
            let page = try await store.instances(InstanceQuery(limit: 1, offset: 1))
            #expect(page.total == 3)
            #expect(page.instances.map(\.uuid) == [uuids[1]])
        }
    }

    /// Events keeping their ids: a retry stores nothing again. Events of an
    /// agent's batch without a document are points only.
    @Test(arguments: Backend.allCases)
    func eventsKeepTheirDocumentsOnceAndPlainOnesArePointsOnly(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let time = Date(timeIntervalSince1970: 1_700_000_000)
            let documented = Event(id: "e-1", namespace: "app", name: "login", time: time, value: 1, uid: "u-7", fieldsJSON: #"{"browser":"x"}"#)
            let plain = Event(id: "e-2", namespace: "app", name: "login", time: time.addingTimeInterval(1), value: 1)
            try await store.insertEvents([documented, plain], at: Date())
            let backlog = try await store.ingestBacklog()
            try await store.insertEvents([documented, plain], at: Date())
            #expect(try await store.ingestBacklog() == backlog, "a retry stores nothing again")
            #expect(try await store.event(id: "e-1") == documented)
            #expect(try await store.event(id: "e-2") == plain, "kept by id, as the legacy routes ask")
            #expect(try await store.events(namespace: "app", name: "login").map(\.id) == ["e-1", "e-2"])
            _ = try await StoreTests.registerAgent(store)
            let relayed = Event(id: "e-3", namespace: "app", name: "login", time: time, value: 1)
            #expect(try await store.commit([IngestBatch(agentID: "agent-1", sequence: 1, events: [relayed, documented])], at: Date())
                == [.stored])
            #expect(try await store.event(id: "e-3") == nil)
            #expect(try await store.events(namespace: "app", name: "login").map(\.id) == ["e-1", "e-2"])
        }
    }
}
