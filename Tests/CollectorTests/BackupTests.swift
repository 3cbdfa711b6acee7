import CollectorModel
import CollectorProto
import CollectorServer
import CollectorStore
import Foundation
import GRPCCore
import Testing

/// `collectorctl backup` and `collector restore` on real files.
@Suite("Backup and restore", .serialized)
struct BackupTests {
    actor Acknowledged {
        var sequence: UInt64 = 0
        func set(_ value: UInt64) { sequence = value }
    }

    func backup(_ collector: RunningCollector) async throws -> Data {
        let token = collector.adminToken
        return try await collector.withClient { client in
            try await Collector_V1_Admin.Client(wrapping: client).backup(Collector_V1_BackupRequest(), metadata: bearer(token)) { response in
                var data = Data()
                for try await chunk in response.messages { data.append(chunk.data) }
                return data
            }
        }
    }

    @Test func aBackupTakenDuringIngestRestoresEveryAcknowledgedBatch() async throws {
        let directory = try TemporaryDirectory("backup")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let store = collector.store
        _ = try await store.register(AgentRegistration(agentID: "writer", site: "lab", hostname: "h", agentVersion: "t",
                                                       instance: nil, instanceUUID: nil), at: Date())
        let acknowledged = Acknowledged()
        let writer = Task {
            var sequence: UInt64 = 0
            while !Task.isCancelled {
                sequence += 1
                let base = 1_700_000_000 + Double(sequence) * 100
                let points = (0..<100).map { SeriesPoint(namespace: "backup", name: "p", time: Date(timeIntervalSince1970: base + Double($0)), value: 1) }
                _ = try await store.commit([IngestBatch(agentID: "writer", sequence: sequence, points: points)], at: Date())
                await acknowledged.set(sequence)
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let before = await acknowledged.sequence
        let data = try await backup(collector)
        let after = await acknowledged.sequence
        writer.cancel()
        _ = await writer.result
        #expect(before > 0)
        #expect(after >= before)
        let file = directory.path + "/copy.sqlite"
        try data.write(to: URL(fileURLWithPath: file))
        // Nothing is left behind in the data directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/backups").isEmpty)

        // Restore is refused while a collector runs on the directory.
        #expect { try DataDirectory(path: directory.path).restore(from: file) } throws: { "\($0)".contains("stop it first") }
        await collector.stop()

        let target = try TemporaryDirectory("restored")
        #expect(try DataDirectory(path: target.path).restore(from: file) == nil)
        try SQLiteStore.verify(path: target.path + "/collector.sqlite")
        let restored = try SQLiteStore(dataDirectory: target.path)
        let mark = try #require(try await restored.agent(id: "writer")).highWaterMark
        // Every batch acknowledged before the backup began, and no half batch.
        #expect(mark >= before)
        let points = try await restored.points(namespace: "backup", name: "p", from: .distantPast, to: .distantFuture)
        #expect(points.count == Int(mark) * 100)
    }

    @Test func aFileThatIsNotACollectorDatabaseIsRefusedAndChangesNothing() throws {
        let directory = try TemporaryDirectory("restore-bad")
        let bad = directory.path + "/bad.sqlite"
        try Data("not a database at all".utf8).write(to: URL(fileURLWithPath: bad))
        let target = try TemporaryDirectory("restore-target")
        _ = try SQLiteStore(dataDirectory: target.path)
        let before = try Data(contentsOf: URL(fileURLWithPath: target.path + "/collector.sqlite"))
        #expect(throws: (any Error).self) { try DataDirectory(path: target.path).restore(from: bad) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: target.path + "/collector.sqlite")) == before)
    }
}
