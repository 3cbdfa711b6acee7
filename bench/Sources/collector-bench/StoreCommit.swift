import ArgumentParser
import CollectorModel
import CollectorStore
import Foundation
import Logging

/// The store's commit path alone, on either backend: `--agents` callers
/// at once, each committing its batches of `--points` points (ten series)
/// one after another, each commit durable before the next, as the group
/// committer does. No TLS, no gRPC: what the backend costs.
struct StoreCommit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store-commit")
    @Option(help: "sqlite, or a postgres:// URL") var store = "sqlite"
    @Option(help: "The PostgreSQL password's file") var passwordFile: String?
    @Option var agents = 4
    @Option var batches = 250
    @Option var points = 1000

    func run() async throws {
        let directory = NSTemporaryDirectory() + "collector-store-commit-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if store == "sqlite" {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try await measure(try SQLiteStore(dataDirectory: directory))
        } else {
            let location = try PostgresLocation(url: store)
            let postgres = PostgresStore(location: location, password: try PostgresPassword.read(file: passwordFile),
                                         maximumConnections: agents, logger: Logger(label: "bench"))
            let running = Task { await postgres.run() }
            defer { running.cancel() }
            try await postgres.migrate()
            try await measure(postgres)
        }
    }

    private func measure(_ store: some IngestStore & AgentStore) async throws {
        for agent in 0..<agents {
            _ = try await store.register(AgentRegistration(agentID: "bench-\(agent)", site: "bench", hostname: "h", agentVersion: "1",
                                                           instance: nil, instanceUUID: nil), at: Date())
        }
        let (points, batches, agents) = (self.points, self.batches, self.agents)
        let cpu = ProcessCPU.now()
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Int.self) { group in
            for agent in 0..<agents {
                group.addTask {
                    var stored = 0
                    for sequence in 1...batches {
                        let base = 1_700_000_000 + Double(sequence * points)
                        let batch = IngestBatch(agentID: "bench-\(agent)", sequence: UInt64(sequence), points: (0..<points).map {
                            SeriesPoint(namespace: "bench", name: "s\($0 % 10)", time: Date(timeIntervalSince1970: base + Double($0)),
                                        value: Double($0))
                        })
                        let outcomes = try await store.commit(store.prepare([.batch(batch)]), at: Date())
                        if outcomes == [.stored] { stored += points }
                    }
                    return stored
                }
            }
            var stored = 0
            for try await count in group { stored += count }
            let elapsed = ContinuousClock.now - start
            let used = ProcessCPU.now() - cpu
            print(String(format: "store_commit_points_per_second %.0f", Double(stored) / elapsed.seconds))
            print(String(format: "store_commit_failed_points %d", agents * batches * points - stored))
            print(String(format: "store_commit_client_cpu_seconds_per_million_points %.2f", used / Double(stored) * 1_000_000))
        }
    }
}

/// This process's CPU time (user and system), in seconds.
enum ProcessCPU {
    static func now() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
