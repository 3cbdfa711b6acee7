import CollectorModel
import CollectorStore
import Foundation
import Logging
import Testing

/// What only a shared database has to prove: several collectors on one
/// PostgreSQL, at once.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    /// An agent that failed over resends to a second collector while the
    /// first may still be committing: each batch is stored once, and the
    /// loser gets the usual duplicate.
    @Test func twoCollectorsCommittingTheSameBatchesStoreEachOnce() async throws {
        try await PostgresServer.withTwoStores { first, second in
            _ = try await StoreTests.registerAgent(first)
            let rounds = 60
            for sequence in 1...UInt64(rounds) {
                let batch = IngestBatch(agentID: "agent-1", sequence: sequence,
                                        points: StoreTests.points(5, start: 1_700_000_000 + Double(sequence) * 10))
                async let one = first.commit([batch], at: Date())
                async let two = second.commit([batch], at: Date())
                let outcomes = try await one + two
                #expect(outcomes.filter { $0 == .stored }.count == 1, "batch \(sequence): \(outcomes)")
                #expect(outcomes.filter { $0 == .duplicate }.count == 1, "batch \(sequence): \(outcomes)")
            }
            #expect(try await first.ingestBacklog() == rounds * 5)
            #expect(try await second.agent(id: "agent-1")?.highWaterMark == UInt64(rounds))
        }
    }

    /// The legacy bridge and an agent, on two collectors, relaying the same
    /// events at once: each id is kept once and counted once.
    @Test func twoCollectorsKeepingTheSameEventsKeepEachOnce() async throws {
        try await PostgresServer.withTwoStores { first, second in
            for round in 0..<20 {
                let events = (0..<5).map { index in
                    Event(id: "e-\(round)-\(index)", namespace: "app", name: "login", time: Date(timeIntervalSince1970: 1_700_000_000),
                          value: 1, uid: "u-\(index)")
                }
                async let one: Void = first.insertEvents(events, at: Date())
                async let two: Void = second.insertEvents(events.reversed(), at: Date())
                _ = try await (one, two)
            }
            let kept = try await first.events(namespace: "app", name: "login")
            #expect(kept.count == 100)
            #expect(Set(kept.map(\.id)).count == 100)
            // One document row's count and one point per event.
            #expect(try await second.ingestBacklog() == 200)
        }
    }

    /// Two collectors compacting one log while agents commit to both: one
    /// holds the series lease and compacts, the other's rounds are
    /// deferred; every point counts once in the points and in the rollups,
    /// and an event's document is found before and after its log row goes.
    @Test func twoCollectorsCompactOneLogOnce() async throws {
        try await PostgresServer.withTwoStores { first, second in
            _ = try await StoreTests.registerAgent(first, "agent-1")
            _ = try await StoreTests.registerAgent(first, "agent-2")
            var random = SplitMix(state: 17)
            let start = 1_704_067_200.0  // 2024-01-01
            var sum = 0.0
            var deferred = [0, 0]
            try await first.insertEvents([Event(id: "kept", namespace: "app", name: "login", time: Date(timeIntervalSince1970: start),
                                                value: 1, uid: "u")], at: Date())
            #expect(try await second.event(id: "kept")?.uid == "u")
            for sequence in 1...UInt64(30) {
                let points = (0..<400).map { _ in
                    SeriesPoint(namespace: "app", name: "login", time: Date(timeIntervalSince1970: start + Double(Int.random(in: 0..<(20 * 86_400), using: &random))),
                                value: Double(Int.random(in: 0...100, using: &random)))
                }
                // Both agents send the same points: each counts twice.
                sum += 2 * points.reduce(0) { $0 + $1.value }
                async let one = first.commit([IngestBatch(agentID: "agent-1", sequence: sequence, points: points)], at: Date())
                async let two = second.commit([IngestBatch(agentID: "agent-2", sequence: sequence, points: points)], at: Date())
                async let compactFirst = first.compact(budget: 700)
                async let compactSecond = second.compact(budget: 700)
                _ = try await (one, two)
                let rounds = try await [compactFirst, compactSecond]
                for (index, round) in rounds.enumerated() where round.deferred { deferred[index] += 1 }
                #expect(rounds.filter(\.deferred).count == 1, "round \(sequence): both or neither compacted")
            }
            sum += 1  // the event's value
            while try await first.ingestBacklog() > 0 {
                _ = try await first.compact(budget: 100_000)
                _ = try await second.compact(budget: 100_000)
            }
            #expect(deferred.contains(0) && deferred.contains(30), "one collector holds the lease throughout: \(deferred)")
            let read = try await second.points(namespace: "app", name: "login", from: .distantPast, to: .distantFuture)
            #expect(read.count == 30 * 400 * 2 + 1)
            #expect(read.map(\.value).reduce(0, +) == sum)
            let daily = try await first.aggregate(AggregationQuery(namespace: "app", name: "login", from: .distantPast, to: .distantFuture,
                                                                   granularity: .day, function: .sum))
            #expect(daily.map(\.value).reduce(0, +) == sum)
            #expect(daily.map(\.count).reduce(0, +) == Int64(read.count))
            #expect(try await first.event(id: "kept")?.uid == "u")
            // Every request gave its connection back (the pool's gauges in /metrics).
            #expect(first.connectionsInUse == 0 && first.requestsWaitingForConnection == 0)
            #expect(second.connectionsInUse == 0 && second.requestsWaitingForConnection == 0)
        }
    }

    /// The series tables are partitioned by month: compaction makes the
    /// months it writes, and retention drops months whole (chunks once past
    /// the raw retention, rollups past their level's), keeping exactly what
    /// retention by rows keeps.
    @Test func retentionDropsWholeMonths() async throws {
        let database = try PostgresServer.freshDatabase()
        func partitions(of table: String) throws -> [String] {
            let location = database.location
            return try PostgresServer.command("/usr/bin/psql", ["postgres://\(location.user)@\(location.host):\(location.port)/\(location.database)",
                                                                "-XAtc", """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                WHERE p.relname = '\(table)' ORDER BY 1
                """], environment: ["PGPASSWORD": database.password, "PGSSLMODE": "require"])
                .split(separator: "\n").map(String.init)
        }
        try await PostgresServer.withStore(database.location, password: database.password) { store in
            _ = try await StoreTests.registerAgent(store)
            let start = 1_704_067_200.0  // 2024-01-01
            let points = (0..<(90 * 24)).map { SeriesPoint(namespace: "t", name: "x", time: Date(timeIntervalSince1970: start + Double($0) * 3600), value: 1) }
            _ = try await store.commit([IngestBatch(agentID: "agent-1", sequence: 1, points: points)], at: Date())
            _ = try await store.compact(budget: 1_000_000)
            #expect(try partitions(of: "chunks") == ["chunks_p202401", "chunks_p202402", "chunks_p202403"])
            #expect(try partitions(of: "rollup_hour") == ["rollup_hour_p202401", "rollup_hour_p202402", "rollup_hour_p202403"])
            let march10 = Int64(start + 69 * 86_400) * 1_000_000_000
            let february = Int64(start + 31 * 86_400) * 1_000_000_000
            var removed = 0
            while true {
                let count = try await store.expire(Retention.Cutoffs(raw: march10, minute: march10, hour: february, day: .min), chunk: 1000)
                if count == 0 { break }
                removed += count
            }
            #expect(try partitions(of: "chunks") == ["chunks_p202403"])
            #expect(try partitions(of: "rollup_hour") == ["rollup_hour_p202402", "rollup_hour_p202403"])
            let left = try await store.points(namespace: "t", name: "x", from: .distantPast, to: .distantFuture)
            #expect(left.count == 21 * 24)
            #expect(left.first.map { Int64($0.time.timeIntervalSince1970) * 1_000_000_000 } == march10)
            // The day rollups keep everything: a daily count still sees all 90 days.
            let days = try await store.aggregate(AggregationQuery(namespace: "t", name: "x", from: .distantPast, to: .distantFuture,
                                                                  granularity: .day, function: .count))
            #expect(days.map(\.count).reduce(0, +) == Int64(points.count))
            // A late point for a dropped month makes it again.
            _ = try await store.commit([IngestBatch(agentID: "agent-1", sequence: 2, points: [
                SeriesPoint(namespace: "t", name: "x", time: Date(timeIntervalSince1970: start + 86_400 * 80), value: 1),
            ])], at: Date())
            _ = try await store.compact(budget: 1_000_000)
            #expect(try await store.points(namespace: "t", name: "x", from: .distantPast, to: .distantFuture).count == 21 * 24 + 1)
        }
    }

    /// Two collectors making the same new series in opposite orders: the
    /// series are made in key order, so neither waits for the other (made
    /// in the writes' order, every round deadlocked, PostgreSQL aborted one
    /// after its one-second deadlock_timeout, and the retry stored it: 33 s
    /// instead of 3); every write is stored.
    @Test func newSeriesMadeInOppositeOrdersAreAllStored() async throws {
        try await PostgresServer.withTwoStores { first, second in
            for round in 0..<30 {
                let points = (0..<20).map { index in
                    SeriesPoint(namespace: "app", name: "r\(round).s\(index)", time: Date(timeIntervalSince1970: 1_700_000_000), value: 1)
                }
                async let one = first.commit([.points(points)], at: Date())
                async let two = second.commit([.points(points.reversed())], at: Date())
                let outcomes = try await one + two
                #expect(outcomes == [.stored, .stored])
            }
            #expect(try await first.ingestBacklog() == 30 * 20 * 2)
            #expect(try await first.seriesNames(filter: "", namespace: "app", limit: 1000).series.count == 600)
        }
    }

    /// Group commits holding batches of the same agents in opposite orders:
    /// the marks are locked in id order, so neither waits for the other
    /// forever (PostgreSQL would abort one with deadlock_detected).
    @Test func opposingGroupCommitsDoNotDeadlock() async throws {
        try await PostgresServer.withTwoStores { first, second in
            _ = try await StoreTests.registerAgent(first, "a")
            _ = try await StoreTests.registerAgent(first, "b")
            for sequence in 1...UInt64(40) {
                let a = IngestWrite.batch(IngestBatch(agentID: "a", sequence: sequence, points: StoreTests.points(1)))
                let b = IngestWrite.batch(IngestBatch(agentID: "b", sequence: sequence, points: StoreTests.points(1)))
                async let one = first.commit([a, b], at: Date())
                async let two = second.commit([b, a], at: Date())
                let outcomes = try await one + two
                #expect(outcomes.filter { $0 == .stored }.count == 2)
            }
            #expect(try await first.agent(id: "a")?.highWaterMark == 40)
            #expect(try await first.agent(id: "b")?.highWaterMark == 40)
            #expect(try await first.ingestBacklog() == 80)
        }
    }

    /// Collectors starting together migrate the schema once; a schema from
    /// a newer Collector is refused, not written over.
    @Test func collectorsStartingTogetherMigrateOnceAndANewerSchemaIsRefused() async throws {
        let database = try PostgresServer.freshDatabase()
        let stores = (0..<4).map { _ in
            PostgresStore(location: database.location, password: database.password, logger: Logger(label: "test"))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores { group.addTask { await store.run() } }
            try await withThrowingTaskGroup(of: Void.self) { migrations in
                for store in stores { migrations.addTask { try await store.migrate() } }
                try await migrations.waitForAll()
            }
            let applied = try PostgresServer.command("/usr/bin/psql", [Self.url(database), "-tAc", "SELECT COUNT(*) FROM schema_migrations"],
                                                     environment: ["PGPASSWORD": database.password])
            #expect(Int(applied.trimmingCharacters(in: .whitespacesAndNewlines)) == PostgresStore.schemaVersion)
            try PostgresServer.command("/usr/bin/psql", [Self.url(database), "-qc", "INSERT INTO schema_migrations VALUES ('v99: from the future', 0)"],
                                       environment: ["PGPASSWORD": database.password])
            await #expect(throws: StoreError.unavailable("written by a newer Collector (migrations [\"v99: from the future\"])")) {
                try await stores[0].migrate()
            }
            group.cancelAll()
        }
    }

    /// A unit of background work runs on one collector at a time, and moves
    /// to another once its holder stops renewing (it died) or lets go.
    @Test func aLeaseHasOneHolderAndMovesWhenItRunsOut() async throws {
        try await PostgresServer.withTwoStores { first, second in
            // Racing for a free lease: exactly one wins.
            async let a = first.acquireLease("compaction", holder: "collector-a", for: .seconds(2))
            async let b = second.acquireLease("compaction", holder: "collector-b", for: .seconds(2))
            let (wonA, wonB) = try await (a, b)
            #expect(wonA != wonB)
            let (winner, loser, loserName) = wonA ? (first, second, "collector-b") : (second, first, "collector-a")
            let winnerName = wonA ? "collector-a" : "collector-b"
            #expect(try await winner.acquireLease("compaction", holder: winnerName, for: .seconds(2)), "the holder renews")
            #expect(try await loser.acquireLease("compaction", holder: loserName, for: .seconds(2)) == false)
            #expect(try await loser.acquireLease("retention", holder: loserName, for: .seconds(2)), "another unit is free")
            #expect(try await first.heldLeases() == ["compaction": winnerName, "retention": loserName])
            // The holder dies: nobody renews, and the lease runs out.
            try await Task.sleep(for: .milliseconds(2200))
            #expect(try await loser.acquireLease("compaction", holder: loserName, for: .seconds(30)))
            #expect(try await winner.acquireLease("compaction", holder: winnerName, for: .seconds(30)) == false)
            // Released early, it is free at once; another holder's release changes nothing.
            try await winner.releaseLease("compaction", holder: winnerName)
            #expect(try await winner.acquireLease("compaction", holder: winnerName, for: .seconds(30)) == false)
            try await loser.releaseLease("compaction", holder: loserName)
            #expect(try await winner.acquireLease("compaction", holder: winnerName, for: .seconds(30)))
        }
    }

    /// The certificate is checked: a store that trusts another root does not
    /// connect, and says the store is unavailable; so does a wrong password.
    @Test func anUntrustedServerOrAWrongPasswordIsUnavailable() async throws {
        let database = try PostgresServer.freshDatabase()
        var untrusted = database.location
        untrusted.rootCertificates = PostgresServer.repository + "/Tests/CollectorTests/Fixtures/untrusted-ca.pem"
        await #expect(throws: StoreError.self) {
            try await PostgresServer.withStore(untrusted, password: database.password) { _ in }
        }
        await #expect(throws: StoreError.self) {
            try await PostgresServer.withStore(database.location, password: "not the password") { _ in }
        }
        #expect(try await PostgresServer.withStore(database.location, password: database.password) { await $0.isWritable() })
    }

    @Test func theURLIsParsedAsLibpqDoesAndKeepsNoPassword() throws {
        let location = try PostgresLocation(url: "postgres://collector@db.example.org/metrics")
        #expect(location.port == 5432)
        #expect(location.tlsMode == .verifyFull)
        #expect(location.database == "metrics")
        #expect(try PostgresLocation(url: "postgresql://ops@[::1]:6432?sslmode=disable").description
            == "postgres://ops@[::1]:6432/ops?sslmode=disable")
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "postgres://ops:secret@db/metrics") }
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "postgres://ops@db/metrics?sslmode=prefer") }
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "postgres://db/metrics") }
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "mysql://ops@db/metrics") }
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "postgres://ops@db/metrics?password=x") }
    }

    @Test func thePasswordComesFromAFileOrTheEnvironment() throws {
        let directory = try TemporaryDirectory("pg-password")
        try "s3cret\n".write(toFile: directory.file("password"), atomically: true, encoding: .utf8)
        #expect(try PostgresPassword.read(file: directory.file("password"), environment: [:]) == "s3cret")
        #expect(try PostgresPassword.read(file: nil, environment: ["COLLECTOR_STORE_PASSWORD": "env"]) == "env")
        #expect(try PostgresPassword.read(file: nil, environment: [:]) == nil)
        #expect(throws: PostgresLocationError.self) { try PostgresPassword.read(file: directory.file("missing"), environment: [:]) }
    }

    static func url(_ database: (location: PostgresLocation, password: String, cluster: PostgresServer.Cluster)) -> String {
        "postgres://\(database.location.user)@\(database.location.host):\(database.location.port)/\(database.location.database)"
    }
}
