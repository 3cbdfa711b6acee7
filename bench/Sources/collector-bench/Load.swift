import ArgumentParser
import CollectorModel
import CollectorProto
import CollectorTLS
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

/// Many agents against one running collector: each stream is an agent of its
/// own (its own TLS connection, a Register, one Push stream held open), and
/// together they send batches at a fixed total rate.
///
/// Latency runs from the moment a batch was due, not from when it was
/// written, so a collector that holds senders back is charged for it (no
/// coordinated omission). The collector's RSS is read from /proc before the
/// streams open, once all are open and idle, and after the load.
struct Load: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open N agent streams to a running collector and push batches at a fixed total rate.")

    @Option(help: "The collector's gRPC address.") var server: String
    @Option(help: "The CA that signed the collector's certificate.") var ca: String
    @Option(help: "A token with the ingest scope.") var tokenFile: String
    @Option(help: "The collector's process id, to read its RSS.") var collectorPid: Int32?
    @Option(help: "Agent streams, each on its own connection.") var streams = 10_000
    @Option(help: "Batches a second over all streams; 0 sends as fast as acks allow.") var rate = 1_000
    @Option(help: "Points in each batch.") var points = 10
    @Option(help: "Seconds of load once every stream is open.") var seconds = 60
    @Option(help: "Unacknowledged batches a stream may have when --rate is 0.") var window = 8
    @Option(help: "Connections being set up at once.") var connectConcurrency = 64
    @Option(help: "Seconds to wait after the streams closed before reading the collector's RSS again.") var settleSeconds = 15

    func validate() throws {
        guard streams >= 1, rate >= 0, points >= 1, seconds >= 1, window >= 1, connectConcurrency >= 1 else {
            throw ValidationError("--streams, --points, --seconds, --window and --connect-concurrency must be at least 1; --rate at least 0")
        }
    }

    func run() async throws {
        let target = try HostPort(parsing: server)
        let tls = ClientTLSSettings(caPath: ca)
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let run = UUID().uuidString.prefix(8)
        let collector = ResidentMemory(pid: collectorPid)
        let idle = collector.read()
        let plan = LoadPlan(streams: streams, rate: rate, points: points, seconds: seconds, window: window)
        let gate = Window(size: connectConcurrency)
        let opened = Countdown(streams)
        var costBefore: ProcessCost?
        print("load: \(streams) streams to \(server), \(rate == 0 ? "unpaced, window \(window)" : "\(rate) batches/s in all"), \(points) points a batch, \(seconds) s")

        let connectStart = ContinuousClock.now
        let results = await withTaskGroup(of: StreamResult.self) { group in
            for index in 0..<streams {
                let stream = AgentStream(agentID: "load-\(run)-\(index)", index: index, plan: plan, token: token)
                group.addTask { await stream.run(target: target, tls: tls, gate: gate, opened: opened) }
            }
            await opened.wait()
            print(String(format: "connect_seconds %.1f", (ContinuousClock.now - connectStart).seconds))
            if let idle, let connected = collector.read() {
                print(String(format: "collector_rss_mb idle %.1f all_open %.1f", Double(idle) / 1e6, Double(connected) / 1e6))
                print(String(format: "collector_rss_kb_per_connection %.1f", Double(connected - idle) / 1024 / Double(streams)))
            }
            costBefore = ProcessCost.read(pid: collectorPid)
            plan.start()
            var all: [StreamResult] = []
            for await result in group { all.append(result) }
            return all
        }
        let costAfter = ProcessCost.read(pid: collectorPid)
        let start = await plan.startTime()
        let failures = results.compactMap(\.failure)
        let latencies = results.flatMap(\.latencies).sorted()
        let sendLatencies = results.flatMap(\.sendLatencies).sorted()
        let batches = results.reduce(0) { $0 + $1.acknowledged }
        let elapsed = (results.compactMap(\.lastAck).max() ?? start) - start
        func percentile(_ p: Double, of latencies: [Duration]) -> Double {
            guard !latencies.isEmpty else { return 0 }
            return latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))].milliseconds
        }
        print("failed_streams \(failures.count)\(failures.first.map { " (first: \($0))" } ?? "")")
        print(String(format: "acked_batches %d in %.1f s: %.0f batches/s, %.0f points/s",
                     batches, elapsed.seconds, Double(batches) / elapsed.seconds, Double(batches * points) / elapsed.seconds))
        for (name, values) in [("ack_latency_ms", latencies), ("ack_latency_from_write_ms", sendLatencies)] {
            print(name + String(format: " p50 %.2f p99 %.2f p999 %.2f max %.2f", percentile(0.5, of: values),
                         percentile(0.99, of: values), percentile(0.999, of: values), values.last?.milliseconds ?? 0))
        }
        if let costBefore, let costAfter {
            print(ProcessCost.report(from: costBefore, to: costAfter, batches: batches))
        }
        if let after = collector.read() { print(String(format: "collector_rss_mb after_load %.1f", Double(after) / 1e6)) }
        // Every stream has closed by now; what the collector gives back shows
        // once it has dropped their state and its heap trimmer has run.
        if let idle, collector.read() != nil {
            try await Task.sleep(for: .seconds(settleSeconds))
            if let settled = collector.read() {
                print(String(format: "collector_rss_mb after_close %.1f (%.1fx idle, %d s after the streams closed)",
                             Double(settled) / 1e6, Double(settled) / Double(idle), settleSeconds))
            }
        }
        if let own = ResidentMemory(pid: getpid()).read() { print(String(format: "loadgen_rss_mb %.1f", Double(own) / 1e6)) }
        if !failures.isEmpty { throw ExitCode(1) }
    }
}

/// When each stream sends. Paced, stream i sends at start + i/rate +
/// k·streams/rate: `rate` batches a second in all, spread evenly.
final class LoadPlan: Sendable {
    let streams: Int
    let rate: Int
    let points: Int
    let seconds: Int
    let window: Int
    private let started = AsyncSignal<ContinuousClock.Instant>()

    init(streams: Int, rate: Int, points: Int, seconds: Int, window: Int) {
        self.streams = streams
        self.rate = rate
        self.points = points
        self.seconds = seconds
        self.window = window
    }

    func start() { started.fire(.now + .milliseconds(100)) }
    func startTime() async -> ContinuousClock.Instant { await started.value() }
    var isPaced: Bool { rate > 0 }

    func dueTimes(of index: Int, from start: ContinuousClock.Instant) -> [ContinuousClock.Instant] {
        let period = Duration.seconds(Double(streams) / Double(rate))
        let end = start + .seconds(seconds)
        var due = start + .seconds(Double(index) / Double(rate))
        var times: [ContinuousClock.Instant] = []
        while due < end {
            times.append(due)
            due += period
        }
        return times
    }
}

struct StreamResult: Sendable {
    var latencies: [Duration] = []
    var sendLatencies: [Duration] = []
    var acknowledged = 0
    var lastAck: ContinuousClock.Instant?
    var failure: String?
}

/// One simulated agent, with a transport of its own.
struct AgentStream: Sendable {
    let agentID: String
    let index: Int
    let plan: LoadPlan
    let token: String

    func run(target: HostPort, tls: ClientTLSSettings, gate: Window, opened: Countdown) async -> StreamResult {
        let arrival = Arrival(opened)
        do {
            let transport = try makeClientTransport(target: target, tls: tls)
            let metadata: Metadata = ["authorization": "Bearer \(token)"]
            return try await withGRPCClient(transport: transport) { client in
                let ingest = Collector_V1_Ingest.Client(wrapping: client)
                var register = Collector_V1_RegisterRequest()
                register.agentID = agentID
                await gate.acquire()
                let registered: Collector_V1_RegisterResponse
                do {
                    registered = try await ingest.register(register, metadata: metadata)
                    await gate.release()
                } catch {
                    await gate.release()
                    throw error
                }
                let first = registered.highWaterMark + 1
                let due = DueTimes()
                let window = Window(size: plan.window)
                return try await ingest.push(metadata: metadata) { writer in
                    await arrival.arrive()
                    await opened.wait()
                    let start = await plan.startTime()
                    if plan.isPaced {
                        for (offset, time) in plan.dueTimes(of: index, from: start).enumerated() {
                            try await Task.sleep(until: time, clock: .continuous)
                            let sequence = first + UInt64(offset)
                            await due.mark(sequence, due: time)
                            try await writer.write(batch(sequence))
                        }
                    } else {
                        let end = start + .seconds(plan.seconds)
                        var sequence = first
                        while ContinuousClock.now < end {
                            await window.acquire()
                            await due.mark(sequence, due: .now)
                            try await writer.write(batch(sequence))
                            sequence += 1
                        }
                    }
                } onResponse: { response in
                    // The collector ends the response once the request
                    // stream has ended and every batch is acknowledged.
                    var result = StreamResult()
                    for try await ack in response.messages {
                        if let times = await due.take(ack.sequence) {
                            let now = ContinuousClock.now
                            result.latencies.append(now - times.due)
                            result.sendLatencies.append(now - times.sent)
                        }
                        result.acknowledged += 1
                        result.lastAck = .now
                        if !plan.isPaced { await window.release() }
                    }
                    return result
                }
            }
        } catch {
            // A stream that failed must not keep the others waiting.
            await arrival.arrive()
            return StreamResult(failure: "\(error)")
        }
    }

    private func batch(_ sequence: UInt64) -> Collector_V1_Batch {
        var batch = Collector_V1_Batch()
        batch.agentID = agentID
        batch.sequence = sequence
        let base = UInt64(Date().timeIntervalSince1970 * 1e9)
        batch.points = (0..<plan.points).map { index in
            var point = Collector_V1_Point()
            point.namespace = "load"
            point.name = "metric-\(index % 10)"
            point.timeUnixNano = base + UInt64(index)
            point.value = Double(index)
            return point
        }
        return batch
    }
}

/// One stream's arrival at the countdown, counted once.
final class Arrival: Sendable {
    private let countdown: Countdown
    private let arrived = Mutex(false)
    init(_ countdown: Countdown) { self.countdown = countdown }
    func arrive() async {
        let first = arrived.withLock { arrived in
            defer { arrived = true }
            return !arrived
        }
        if first { await countdown.arrive() }
    }
}

/// When each unacknowledged batch was due, and when it was handed to the
/// transport: the gap is the load generator's own lateness.
actor DueTimes {
    private var times: [UInt64: (due: ContinuousClock.Instant, sent: ContinuousClock.Instant)] = [:]
    func mark(_ sequence: UInt64, due: ContinuousClock.Instant) { times[sequence] = (due, .now) }
    func take(_ sequence: UInt64) -> (due: ContinuousClock.Instant, sent: ContinuousClock.Instant)? { times.removeValue(forKey: sequence) }
}

/// A process's resident set, from /proc/PID/status.
struct ResidentMemory {
    let pid: Int32?

    func read() -> Int? {
        guard let pid, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }
}
