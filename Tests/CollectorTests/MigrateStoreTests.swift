import CollectorModel
import CollectorServer
import CollectorStore
import Foundation
import Logging
import Testing

/// `collector migrate-store`: a single node's SQLite database, with
/// compacted chunks, a log tail not yet compacted, document blocks, string
/// fields, instances, pools, tokens and users, moved into an empty
/// PostgreSQL, which then gives the same answers and goes on from there.
@Suite("migrate-store")
struct MigrateStoreTests {
    static let logger = Logger(label: "test.migrate-store")

    @Test func aSQLiteDeploymentMovesWholeAndAnswersTheSame() async throws {
        let directory = try TemporaryDirectory("migrate-store")
        let config = try PostgresServer.collectorConfig(passwordFile: directory.file("store-password"))
        let url = try #require(config.store)
        let source = try SQLiteStore(dataDirectory: directory.path)
        _ = try await StoreTests.registerAgent(source, "agent-1")
        var random = SplitMix(state: 3)
        let start = 1_704_067_200.0  // 2024-01-01
        for sequence in 1...UInt64(6) {
            let points = (0..<500).map { _ in
                SeriesPoint(namespace: "app", name: "load", time: Date(timeIntervalSince1970: start + Double(Int.random(in: 0..<(9 * 86_400), using: &random))),
                            value: Double(Int.random(in: 0...100, using: &random)))
            }
            _ = try await source.commit([IngestBatch(agentID: "agent-1", sequence: sequence, points: points)], at: Date())
            // All but the last batch compacted: both chunks and a log tail move.
            if sequence < 6 { _ = try await source.compact(budget: 100_000) }
        }
        let events = (0..<30).map { Event(id: "e\($0)", namespace: "app", name: "login", time: Date(timeIntervalSince1970: start + Double($0)),
                                          value: 1, uid: "u\($0)") }
        try await source.insertEvents(Array(events[..<20]), at: Date())
        _ = try await source.compact(budget: 100_000)
        try await source.insertEvents(Array(events[20...]), at: Date())
        let text = SeriesLabels(measurement: "deploys", field: "msg", tags: ["app": "web"], type: .string)
        _ = try await source.commit([.strings((0..<5).map { StringPoint(namespace: "app", labels: text, nanos: Int64(start) * 1_000_000_000 + Int64($0), value: "v\($0)") })],
                                    at: Date())
        let instance = try await source.registerInstance(InstanceStoreTests.info, country: "DE", at: Date(timeIntervalSince1970: start))
        try await source.recordCrawls([InstanceStoreTests.crawl(instance.uuid, at: start + 60, document: ["users": .integer(42)])])
        _ = try await source.createPool(PoolStoreTests.lab())
        try await source.insertToken(try TokenIssuer.issue(name: "reader", scopes: ["read"], site: nil).0)
        try await source.createUser(UserRecord(name: "ada", role: .admin, passwordHash: "h1", created: Date(), passwordChanged: Date()))

        let everything = AggregationQuery(namespace: "app", name: "load", from: .distantPast, to: .distantFuture, granularity: .hour, function: .avg)
        let hourly = try await source.aggregate(everything)
        let points = try await source.points(namespace: "app", name: "load", from: .distantPast, to: .distantFuture)
        let stringSeries = try #require(try await source.series(namespace: "app").first { $0.labels?.type == .string })

        // Refused while a collector holds the directory.
        let held = try DataDirectory(path: directory.path).lock()
        await #expect(throws: ConfigError.self) {
            _ = try await DataDirectory(path: directory.path).migrateStore(to: url, passwordFile: config.storePasswordFile, logger: Self.logger)
        }
        held.release()

        let reports = try await DataDirectory(path: directory.path).migrateStore(to: url, passwordFile: config.storePasswordFile, logger: Self.logger)
        #expect(reports.allSatisfy { $0.matches })
        let rows = Dictionary(uniqueKeysWithValues: reports.map { ($0.table, $0.targetRows) })
        for table in ["tokens", "agents", "series", "chunks", "ingest_log", "event_blocks", "event_ids", "rollup_hour", "string_points",
                      "instances", "crawl_history", "pools", "computers", "console_users"] {
            #expect((rows[table] ?? 0) > 0, "\(table) moved no rows")
        }

        let location = try PostgresLocation(url: url)
        let password = try PostgresPassword.read(file: config.storePasswordFile)
        try await PostgresServer.withStore(location, password: password ?? "") { target in
            #expect(try await target.aggregate(everything) == hourly)
            #expect(try await target.points(namespace: "app", name: "load", from: .distantPast, to: .distantFuture).map(\.value)
                    == points.map(\.value))
            #expect(try await target.event(id: "e3")?.uid == "u3")
            #expect(try await target.event(id: "e25")?.uid == "u25")
            #expect(try await target.strings(seriesID: stringSeries.id, from: .min, to: .max).map(\.value) == ["v0", "v1", "v2", "v3", "v4"])
            #expect(try await target.instance(uuid: instance.uuid)?.country == "DE")
            #expect(try await target.crawlHistory(uuid: instance.uuid, limit: 10).count == 1)
            #expect(try await target.pool(name: "lab-1")?.computers.count == 3)
            #expect(try await target.user(name: "ada")?.role == .admin)
            #expect(try await target.agent(id: "agent-1")?.highWaterMark == 6)
            // It goes on from there: new ids follow the moved ones, and the
            // moved log tail compacts with what comes next.
            let more = (0..<10).map { SeriesPoint(namespace: "app", name: "load", time: Date(timeIntervalSince1970: start + Double($0)), value: 1) }
            #expect(try await target.commit([IngestBatch(agentID: "agent-1", sequence: 7, points: more)], at: Date()) == [.stored])
            try await target.insertEvents([Event(id: "e-new", namespace: "app", name: "login", time: Date(timeIntervalSince1970: start),
                                                 value: 1, uid: "new")], at: Date())
            while try await target.ingestBacklog() > 0 { _ = try await target.compact(budget: 100_000) }
            #expect(try await target.points(namespace: "app", name: "load", from: .distantPast, to: .distantFuture).count == points.count + 10)
            #expect(try await target.event(id: "e-new")?.uid == "new")
            #expect(try await target.event(id: "e25")?.uid == "u25")
        }

        // A second move into the now non-empty database is refused, whole.
        let again = await #expect(throws: StoreMigration.Failure.self) {
            _ = try await DataDirectory(path: directory.path).migrateStore(to: url, passwordFile: config.storePasswordFile, logger: Self.logger)
        }
        #expect(again?.description.contains("not empty") == true)
    }
}
