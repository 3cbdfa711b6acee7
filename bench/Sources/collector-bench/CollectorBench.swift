import ArgumentParser
import CollectorModel
import CollectorProto
import CollectorServer
import CollectorStore
import CollectorTLS
import Foundation
import GRDB
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import Logging
import ServiceSupport
import Synchronization

/// Benchmarks whose figures go into notes and the README, never into tests.
@main
struct CollectorBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector-bench",
        abstract: "Collector benchmarks.",
        subcommands: [Ingest.self, Load.self, FloorServer.self, SQLiteCeiling.self, StoreCommit.self, Events.self, Sweep.self])
}

/// N agents push batches of small points over TLS to an in-process
/// collector with durable acks; prints points/s and push→ack latency.
struct Ingest: AsyncParsableCommand {
    @Option var agents = 4
    @Option var batches = 250
    @Option var points = 1000
    @Option var window = 8
    @Option var dataDir: String?
    @Option(help: "A PostgreSQL URL (store: in the config); the data directory's SQLite file without it.")
    var store: String?
    @Option var passwordFile: String?
    @Option(help: "Collectors in this process sharing the PostgreSQL store; the agents are spread over them.")
    var collectors = 1

    func run() async throws {
        guard collectors == 1 || store != nil else { throw ValidationError("--collectors above 1 needs --store postgres://…") }
        // The collectors run in this process: its heap as the collector's `main` sets it.
        HeapTuning.configureForBursts()
        let directory = dataDir ?? NSTemporaryDirectory() + "collector-bench-\(UUID().uuidString.prefix(8))"
        defer { if dataDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var config = CollectorConfig()
        config.store = store
        config.storePasswordFile = passwordFile
        var applications: [CollectorApplication] = []
        var servers: [Task<Void, any Error>] = []
        var targets: [HostPort] = []
        for index in 0..<collectors {
            let own = index == 0 ? directory : directory + "-\(index)"
            if index > 0 {
                // The first one's development certificate, so agents trust every collector.
                try FileManager.default.createDirectory(atPath: own, withIntermediateDirectories: true)
                for name in ["ca.pem", "ca-key.pem", "server.pem", "server-key.pem"] {
                    try FileManager.default.copyItem(atPath: (directory as NSString).appendingPathComponent(name),
                                                     toPath: (own as NSString).appendingPathComponent(name))
                }
            }
            let application = try await CollectorApplication(
                options: ServeOptions(dataDirectory: own, config: config,
                                      grpcListen: HostPort(host: "127.0.0.1", port: 0), httpListen: HostPort(host: "127.0.0.1", port: 0)),
                logger: logger)
            let (readyStream, readyContinuation) = AsyncStream<BoundAddresses>.makeStream()
            servers.append(Task { try await application.run { readyContinuation.yield($0); readyContinuation.finish() } })
            var bound: BoundAddresses?
            for await address in readyStream { bound = address }
            guard let bound else { throw ValidationError("collector \(index) did not start") }
            applications.append(application)
            targets.append(HostPort(host: "127.0.0.1", port: bound.grpcPort))
        }
        defer {
            for index in 1..<max(1, collectors) { try? FileManager.default.removeItem(atPath: directory + "-\(index)") }
        }
        let application = applications[0]

        let (record, secret) = try TokenIssuer.issue(name: "bench", scopes: ["ingest"], site: "bench")
        try await application.store.insertToken(record)
        let token = secret.text
        let tls = ClientTLSSettings(caPath: (directory as NSString).appendingPathComponent("ca.pem"))

        // The compactor keeps up when the log backlog stays bounded.
        let store = application.store
        let maxBacklog = Mutex(0)
        let watcher = Task {
            while !Task.isCancelled {
                let backlog = (try? await store.ingestBacklog()) ?? 0
                maxBacklog.withLock { $0 = max($0, backlog) }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        // The batches are built before the clock starts, as bench/events
        // builds its line-protocol bodies: what is timed is the collector
        // (in this process) and the gRPC clients' encoding, not the making
        // of a million point values.
        let prepared = (0..<agents).map { batches(agent: "bench-agent-\($0)") }
        let cpu = ProcessCPU.now()
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for (index, batches) in prepared.enumerated() {
                let target = targets[index % targets.count]
                group.addTask {
                    try await pushAll(batches, target: target, tls: tls, token: token)
                }
            }
            var all: [Duration] = []
            for try await latencies in group { all += latencies }
            return all
        }
        let elapsed = ContinuousClock.now - start
        let cpuUsed = ProcessCPU.now() - cpu
        watcher.cancel()
        let ended = ContinuousClock.now
        while (try? await store.ingestBacklog()) ?? 0 > 0 { try await Task.sleep(for: .milliseconds(20)) }
        let caughtUp = ContinuousClock.now - ended
        for server in servers { server.cancel() }
        for server in servers { _ = try? await server.value }

        let total = Double(agents * batches * points)
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))].milliseconds
        }
        print(String(format: "ingest: %d agents x %d batches x %d points over TLS, durable acks", agents, batches, points))
        print(String(format: "ingest_points_per_second %.0f", total / elapsed.seconds))
        print(String(format: "push_ack_latency_ms p50 %.2f p99 %.2f", percentile(0.5), percentile(0.99)))
        print("ingest_log_max_backlog_points \(maxBacklog.withLock { $0 })")
        print(String(format: "compaction_caught_up_seconds %.2f", caughtUp.seconds))
        // Collectors and agents share this process: the whole of it, per point.
        print(String(format: "process_cpu_seconds_per_million_points %.3f", cpuUsed / total * 1e6))
    }

    func batches(agent: String) -> [Collector_V1_Batch] {
        let base = UInt64(Date().timeIntervalSince1970 * 1e9)
        let names = (0..<10).map { "metric-\($0)" }
        return (1...UInt64(batches)).map { sequence in
            var batch = Collector_V1_Batch()
            batch.agentID = agent
            batch.sequence = sequence
            batch.points = (0..<points).map { index in
                var point = Collector_V1_Point()
                point.namespace = "bench"
                point.name = names[index % 10]
                point.timeUnixNano = base + sequence * 1_000_000 + UInt64(index)
                point.value = Double(index)
                return point
            }
            return batch
        }
    }

    func pushAll(_ batches: [Collector_V1_Batch], target: HostPort, tls: ClientTLSSettings, token: String) async throws -> [Duration] {
        guard let agent = batches.first?.agentID, let last = batches.last?.sequence else { return [] }
        let transport = try makeClientTransport(target: target, tls: tls)
        let metadata: Metadata = ["authorization": "Bearer \(token)"]
        let windowSize = window
        return try await withGRPCClient(transport: transport) { client in
            let ingest = Collector_V1_Ingest.Client(wrapping: client)
            var register = Collector_V1_RegisterRequest()
            register.agentID = agent
            _ = try await ingest.register(register, metadata: metadata)
            let sentAt = SentTimes()
            let window = Window(size: windowSize)
            return try await ingest.push(metadata: metadata) { writer in
                for batch in batches {
                    let sequence = batch.sequence
                    await window.acquire()
                    await sentAt.mark(sequence)
                    try await writer.write(batch)
                }
            } onResponse: { response in
                var latencies: [Duration] = []
                for try await ack in response.messages {
                    if let sent = await sentAt.take(ack.sequence) { latencies.append(ContinuousClock.now - sent) }
                    await window.release()
                    if ack.sequence == last { break }
                }
                return latencies
            }
        }
    }
}

/// 10M events over one year through an agent's push stream into a running
/// collector, then an hourly average over the whole year.
struct Events: AsyncParsableCommand {
    @Option(help: "HOST:PORT, or several separated by commas.") var server: String
    @Option var ca: String
    @Option var tokenFile: String
    @Option var adminTokenFile: String
    @Option var count = 10_000_000
    @Option var streams = 4
    @Option var batch = 2000
    @Option(help: "ingest, query or all") var phase = "all"

    func run() async throws {
        // Several collectors sharing a PostgreSQL: the streams spread over them.
        let targets = try server.split(separator: ",").map { try HostPort(parsing: String($0)) }
        guard let target = targets.first else { throw ValidationError("--server names no collector") }
        let tls = ClientTLSSettings(caPath: ca)
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let admin = try String(contentsOfFile: adminTokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let yearStart: UInt64 = 1_672_531_200  // 2023-01-01T00:00:00Z
        let perStream = count / streams
        let batchSize = batch
        if phase != "query" {
        // Each stream registers and encodes its batches before the clock
        // starts, as the line-protocol writers build their bodies: what is
        // timed is the collector, with gRPC's framing and TLS on the
        // client's side, not the making of ten million events.
        let built = Countdown(streams + 1)
        let elapsed = try await withThrowingTaskGroup(of: Void.self) { group in
            for stream in 0..<streams {
                let own = targets[stream % targets.count]
                group.addTask {
                    let transport = try makeClientTransport(target: own, tls: tls)
                    try await withGRPCClient(transport: transport) { client in
                        let ingest = Collector_V1_Ingest.Client(wrapping: client)
                        let metadata: Metadata = ["authorization": "Bearer \(token)"]
                        var register = Collector_V1_RegisterRequest()
                        register.agentID = "events-bench-\(stream)"
                        let registered = try await ingest.register(register, metadata: metadata)
                        let first = registered.highWaterMark + 1
                        let batches = try Self.batches(stream: stream, first: first, count: perStream, size: batchSize, yearStart: yearStart)
                        await built.arrive()
                        await built.wait()
                        let window = Window(size: 8)
                        let last = first + UInt64(batches.count) - 1
                        let request = StreamingClientRequest<[UInt8]>(metadata: metadata) { writer in
                            for batch in batches {
                                await window.acquire()
                                try await writer.write(batch)
                            }
                        }
                        try await client.bidirectionalStreaming(
                            request: request, descriptor: Collector_V1_Ingest.Method.Push.descriptor,
                            serializer: EncodedMessage(), deserializer: ProtobufDeserializer<Collector_V1_Ack>(), options: .defaults
                        ) { response in
                            for try await ack in response.messages {
                                await window.release()
                                if ack.sequence == last { break }
                            }
                        }
                    }
                }
            }
            await built.arrive()
            await built.wait()
            let start = ContinuousClock.now
            try await group.waitForAll()
            return ContinuousClock.now - start
        }
        print(String(format: "events_ingest_per_second %.0f", Double(perStream * streams) / elapsed.seconds))
        }
        guard phase != "ingest" else { return }

        let transport = try makeClientTransport(target: target, tls: tls)
        let timings = try await withGRPCClient(transport: transport) { client in
            let query = Collector_V1_Query.Client(wrapping: client)
            var request = Collector_V1_AggregateRequest()
            request.namespace = "bench"
            request.name = "checkout"
            request.fromUnixNano = yearStart * 1_000_000_000
            request.toUnixNano = (yearStart + 31_536_000) * 1_000_000_000
            request.granularity = "hour"
            request.function = "avg"
            var timings: [Double] = []
            for _ in 0..<7 {
                let began = ContinuousClock.now
                let buckets = try await query.aggregate(request, metadata: ["authorization": "Bearer \(admin)"]).buckets
                timings.append((ContinuousClock.now - began).milliseconds)
                precondition(buckets.count > 8000, "expected an hourly series over the year")
            }
            return timings.sorted()
        }
        print(String(format: "events_hourly_avg_year_query_ms %.1f", timings[timings.count / 2]))
    }

    /// One stream's share of the events, pseudo-randomly spread over the
    /// year, each batch encoded.
    static func batches(stream: Int, first: UInt64, count: Int, size: Int, yearStart: UInt64) throws -> [[UInt8]] {
        let batches = UInt64((count + size - 1) / size)
        return try (0..<batches).map { index in
            var wire = Collector_V1_Batch()
            wire.agentID = "events-bench-\(stream)"
            wire.sequence = first + index
            let prefix = "bench-\(stream)-\(index)-"
            wire.events = (0..<size).map { offset in
                let n = UInt64(stream) &* 1_000_003 &+ index &* UInt64(size) &+ UInt64(offset)
                var event = Collector_V1_Event()
                event.id = prefix + String(offset)
                event.namespace = "bench"
                event.name = "checkout"
                event.timeUnixNano = (yearStart + (n &* 2_654_435_761) % 31_536_000) * 1_000_000_000
                event.value = Double(n % 1000)
                return event
            }
            return try wire.serializedBytes()
        }
    }
}

actor SentTimes {
    private var times: [UInt64: ContinuousClock.Instant] = [:]
    func mark(_ sequence: UInt64) { times[sequence] = .now }
    func take(_ sequence: UInt64) -> ContinuousClock.Instant? { times.removeValue(forKey: sequence) }
}

/// The ceiling: the same rows inserted by a bare GRDB loop into a WAL
/// database with synchronous=FULL, one transaction per 1,000 points.
struct SQLiteCeiling: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sqlite-ceiling")
    @Option var batches = 1000
    @Option var points = 1000

    func run() async throws {
        let path = NSTemporaryDirectory() + "collector-ceiling-\(UUID().uuidString.prefix(8)).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let queue = try DatabasePool(path: path, configuration: configuration)
        try await queue.write { db in
            try db.execute(sql: """
                CREATE TABLE points (series_id INTEGER NOT NULL, time INTEGER NOT NULL, value REAL NOT NULL);
                CREATE INDEX points_by_series_time ON points(series_id, time);
                """)
        }
        let pointCount = points
        let start = ContinuousClock.now
        for batch in 0..<batches {
            try await queue.write { db in
                let statement = try db.cachedStatement(sql: "INSERT INTO points (series_id, time, value) VALUES (?, ?, ?)")
                for index in 0..<pointCount {
                    try statement.execute(arguments: [index % 10, batch * pointCount + index, Double(index)])
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        print(String(format: "sqlite_ceiling_points_per_second %.0f", Double(batches * points) / elapsed.seconds))
    }
}

extension Duration {
    var milliseconds: Double { seconds * 1000 }
}

/// A message encoded before the call, sent as it is.
struct EncodedMessage: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
}
