@testable import AgentKit
import CollectorModel
import CollectorStore
import Foundation
import Testing

/// The collector's disk fills (a real, small tmpfs): readiness fails,
/// ingest is refused with a status that says "later", the collector stays
/// up, agents keep their batches, and everything arrives once space returns.
@Suite("Disk full", .serialized, .enabled(if: getuid() == 0, "needs root to mount a small tmpfs"))
struct DiskFullTests {
    @Test func aFullDiskFailsReadinessAndDefersIngestUntilSpaceReturns() async throws {
        let directory = try TemporaryDirectory("disk-full")
        let disk = directory.file("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        try run("/usr/bin/mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", disk)
        defer { try? run("/usr/bin/umount", "-l", disk) }

        var config = RunningCollector.testConfig
        config.limits.minFreeDisk = ByteCount(8 << 20)
        let collector = try await RunningCollector.start(dataDirectory: disk + "/collector", config: config)
        let token = try await collector.createToken(scopes: ["ingest", "read"], site: "lab")
        let agent = try await RunningAgent(config: RunningAgent.config(stateDir: directory.file("agent"), collector: collector, token: token))
        #expect(await eventually { await agent.runtime.ports.intake != nil && agent.status.registrations > 0 })
        let intake = "http://127.0.0.1:\(try #require(await agent.runtime.ports.intake))"
        let readyz = "http://127.0.0.1:\(collector.addresses.httpPort)/readyz"
        #expect(try await http("GET", readyz).status == 200)

        // Leave 4 MiB: under the 8 MiB floor, with room for SQLite to work.
        let filler = disk + "/filler"
        let available = try #require(DiskSpace.available(at: disk))
        try fill(filler, bytes: Int(available) - (4 << 20))
        let notReady = try await http("GET", readyz)
        #expect(notReady.status == 503)
        #expect(notReady.body.contains("store writable: false"))

        let tracked = try await http("POST", intake + "/api/track/", body: #"{"namespace": "disk", "name": "kept", "value": 1}"#)
        #expect(tracked.status == 201)
        #expect(await eventually { agent.status.lastError?.contains("disk") == true })
        #expect(try await collector.store.points(namespace: "disk", name: "kept", from: .distantPast, to: .distantFuture).isEmpty)
        #expect(await agent.runtime.spool.stats.batches >= 1)
        let legacy = try await http("POST", "http://127.0.0.1:\(collector.addresses.httpPort)/api/track/",
                                    headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                                    body: #"{"namespace": "disk", "name": "legacy", "value": 1}"#)
        #expect(legacy.status == 507)
        #expect(try await collector.store.points(namespace: "disk", name: "legacy", from: .distantPast, to: .distantFuture).isEmpty)

        try FileManager.default.removeItem(atPath: filler)
        #expect(await eventually { (try? await http("GET", readyz).status) == 200 })
        #expect(await eventually(timeout: .seconds(30)) {
            (try? await collector.store.points(namespace: "disk", name: "kept", from: .distantPast, to: .distantFuture).count) == 1
        })
        #expect(await eventually { await agent.runtime.spool.stats.batches == 0 })

        await agent.stop()
        await collector.stop()
    }

    private func fill(_ path: String, bytes: Int) throws {
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw CLIStyleError("cannot create \(path)") }
        defer { try? handle.close() }
        let chunk = Data(count: 1 << 20)
        var left = bytes
        while left > 0 {
            try handle.write(contentsOf: left >= chunk.count ? chunk : chunk.prefix(left))
            left -= chunk.count
        }
    }

    private func run(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CLIStyleError("\(arguments.joined(separator: " ")) failed") }
    }
}
