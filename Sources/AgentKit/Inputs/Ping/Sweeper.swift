import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOPosix
import Synchronization

/// How a sweep pings.
public struct SweepSettings: Sendable, Equatable {
    /// How long to wait for each reply.
    public var timeout: Duration
    /// Further attempts for a computer that did not answer.
    public var retries: Int
    /// Gap between two sends, as fping's `-i` (default 10 ms).
    public var pace: Duration
    public var socket: ICMPSocket.Kind

    public init(timeout: Duration = .seconds(1), retries: Int = 1, pace: Duration = .milliseconds(10), socket: ICMPSocket.Kind = .auto) {
        self.timeout = timeout
        self.retries = retries
        self.pace = pace
        self.socket = socket
    }
}

/// What one computer did in one sweep.
public struct SweepResult: Sendable, Equatable {
    public var up: Bool
    public var rttMilliseconds: Double
    public var reason: Reachability.Reason?
}

/// Pings many computers at once with one socket per address family:
/// sends paced, replies matched by identifier and sequence (and source
/// address), retries for the silent ones. Concurrent sweeps and other
/// pingers on the host do not confuse it: each sweep has its own
/// identifier and sequence range.
public struct Sweeper: Sendable {
    private static let identifiers = Mutex(UInt16.random(in: 0...UInt16.max))

    public let settings: SweepSettings

    public init(settings: SweepSettings) {
        self.settings = settings
    }

    /// Sweeps the addresses (IP literals or host names) and returns one
    /// result per address. Blocking work runs on NIO's thread pool.
    public func sweep(_ addresses: [String]) async throws -> [String: SweepResult] {
        let settings = settings
        let identifier = Self.identifiers.withLock { value in
            value &+= 1
            return value
        }
        return try await NIOThreadPool.singleton.runIfActive {
            var run = SweepRun(addresses: addresses, settings: settings, identifier: identifier)
            return try run.run()
        }
    }
}

/// One sweep, run synchronously on a thread of its own.
struct SweepRun {
    struct Probe {
        var target: Int
        var sent: ContinuousClock.Instant
    }

    let names: [String]
    let targets: [SweepAddress?]
    let settings: SweepSettings
    let identifier: UInt16
    var results: [SweepResult?]
    var probes: [UInt16: Probe] = [:]
    /// One per address family in use, and their poll entries, made once.
    var sockets: [ICMPSocket] = []
    var descriptors: [pollfd] = []
    var sequence = UInt16.random(in: 0...UInt16.max)

    init(addresses: [String], settings: SweepSettings, identifier: UInt16) {
        names = addresses
        targets = addresses.map(Self.resolve)
        results = Array(repeating: nil, count: addresses.count)
        self.settings = settings
        self.identifier = identifier
        probes.reserveCapacity(addresses.count * (settings.retries + 1))
    }

    static func resolve(_ name: String) -> SweepAddress? {
        if let v4 = IPAddressText.ipv4(name) { return .v4(v4) }
        if let v6 = IPAddressText.ipv6(name) { return .v6(v6) }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else { return nil }
        defer { freeaddrinfo(result) }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { bytes in
            bytes.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        }
        return SweepAddress(storage: storage)
    }

    /// One send queue for first attempts and retries, as fping does: a
    /// silent computer is asked again as soon as its own timeout passes,
    /// in the next free send slot, so retries overlap the first round.
    mutating func run() throws -> [String: SweepResult] {
        var byFamily: [ICMPMessage.Family: ICMPSocket] = [:]
        for target in targets.compactMap({ $0 }) where byFamily[target.family] == nil {
            byFamily[target.family] = try ICMPSocket(family: target.family, kind: settings.socket)
        }
        sockets = Array(byFamily.values)
        descriptors = sockets.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        var queue: [(target: Int, attempt: Int)] = []
        for (index, target) in targets.enumerated() {
            if target == nil {
                results[index] = SweepResult(up: false, rttMilliseconds: 0, reason: .unresolved)
            } else {
                queue.append((index, 0))
            }
        }
        var queueHead = 0
        // Deadlines arrive in send order, so a FIFO keeps them sorted.
        var waiting: [(due: ContinuousClock.Instant, target: Int, attempt: Int)] = []
        var waitingHead = 0
        var nextSend = ContinuousClock.now
        while true {
            let now = ContinuousClock.now
            // Answered probes leave at once; silent ones when their time is up.
            while waitingHead < waiting.count, results[waiting[waitingHead].target] != nil || waiting[waitingHead].due <= now {
                let expired = waiting[waitingHead]
                waitingHead += 1
                guard results[expired.target] == nil else { continue }
                if expired.attempt < settings.retries {
                    queue.append((expired.target, expired.attempt + 1))
                } else {
                    results[expired.target] = SweepResult(up: false, rttMilliseconds: 0, reason: .timeout)
                }
            }
            while queueHead < queue.count, results[queue[queueHead].target] != nil { queueHead += 1 }
            if queueHead == queue.count && waitingHead == waiting.count { break }
            if queueHead < queue.count, now >= nextSend {
                let next = queue[queueHead]
                queueHead += 1
                guard let target = targets[next.target], let socket = byFamily[target.family] else { continue }
                sequence &+= 1
                probes[sequence] = Probe(target: next.target, sent: .now)
                if socket.send(ICMPMessage.echoRequest(family: target.family, identifier: identifier, sequence: sequence), to: target) {
                    waiting.append((ContinuousClock.now + settings.timeout, next.target, next.attempt))
                } else {
                    results[next.target] = SweepResult(up: false, rttMilliseconds: 0, reason: .unreachable)
                }
                // On an absolute schedule: poll wakes a little late each
                // time, and that must not add up over hundreds of sends.
                nextSend = max(nextSend + settings.pace, now - settings.pace)
                continue
            }
            var until = waitingHead < waiting.count ? waiting[waitingHead].due : now + settings.timeout
            if queueHead < queue.count { until = min(until, nextSend) }
            receive(until: until)
        }
        var byName: [String: SweepResult] = [:]
        for (index, name) in names.enumerated() {
            byName[name] = results[index] ?? SweepResult(up: false, rttMilliseconds: 0, reason: .timeout)
        }
        return byName
    }

    /// Waits for replies until the deadline, and returns after the first
    /// ones are read, so the caller can look at what they settled.
    mutating func receive(until deadline: ContinuousClock.Instant) {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return }
        // Rounded up to whole milliseconds; the sends keep an absolute
        // schedule, so waking late does not add up.
        let milliseconds = max(1, Int32((remaining / .milliseconds(1)).rounded(.up)))
        guard poll(&descriptors, nfds_t(descriptors.count), milliseconds) > 0 else { return }
        for socket in sockets {
            socket.receiveAll { message, source in handle(message, from: source, socket: socket) }
        }
    }

    mutating func handle(_ message: ICMPMessage, from source: SweepAddress?, socket: ICMPSocket) {
        switch message {
        case .echoReply(let id, let seq):
            // Datagram sockets rewrite the identifier; the kernel has
            // already routed only this socket's replies here.
            guard socket.isDatagram || id == identifier, let probe = probes[seq], results[probe.target] == nil,
                  source == nil || source == targets[probe.target]
            else { return }
            let rtt = (ContinuousClock.now - probe.sent) / .milliseconds(1)
            results[probe.target] = SweepResult(up: true, rttMilliseconds: rtt, reason: nil)
        case .error(let id, let seq, _, _):
            guard socket.isDatagram || id == identifier, let probe = probes[seq], results[probe.target] == nil else { return }
            results[probe.target] = SweepResult(up: false, rttMilliseconds: 0, reason: .unreachable)
        case .other:
            return
        }
    }
}
