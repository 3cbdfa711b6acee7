import CollectorModel
import Foundation
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

    public init(timeout: Duration = .seconds(1), retries: Int = 1, pace: Duration = .milliseconds(10)) {
        self.timeout = timeout
        self.retries = retries
        self.pace = pace
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
    var results: [Int: SweepResult] = [:]
    var probes: [UInt16: Probe] = [:]
    var sequence = UInt16.random(in: 0...UInt16.max)

    init(addresses: [String], settings: SweepSettings, identifier: UInt16) {
        names = addresses
        targets = addresses.map(Self.resolve)
        self.settings = settings
        self.identifier = identifier
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

    mutating func run() throws -> [String: SweepResult] {
        var sockets: [ICMPMessage.Family: ICMPSocket] = [:]
        for target in targets.compactMap({ $0 }) where sockets[target.family] == nil {
            sockets[target.family] = try ICMPSocket(family: target.family)
        }
        for (index, target) in targets.enumerated() where target == nil {
            results[index] = SweepResult(up: false, rttMilliseconds: 0, reason: .unresolved)
        }
        for _ in 0...max(0, settings.retries) {
            let pending = targets.indices.filter { results[$0] == nil }
            if pending.isEmpty { break }
            var nextSend = ContinuousClock.now
            for index in pending {
                guard let target = targets[index], let socket = sockets[target.family] else { continue }
                receive(from: sockets, until: nextSend)
                if results[index] != nil { continue }
                sequence &+= 1
                let bytes = ICMPMessage.echoRequest(family: target.family, identifier: identifier, sequence: sequence)
                probes[sequence] = Probe(target: index, sent: .now)
                if !socket.send(bytes, to: target) {
                    results[index] = SweepResult(up: false, rttMilliseconds: 0, reason: .unreachable)
                }
                nextSend = ContinuousClock.now + settings.pace
            }
            receive(from: sockets, until: ContinuousClock.now + settings.timeout) { [pending] results in
                pending.allSatisfy { results[$0] != nil }
            }
            probes.removeAll(keepingCapacity: true)
        }
        var byName: [String: SweepResult] = [:]
        for (index, name) in names.enumerated() {
            byName[name] = results[index] ?? SweepResult(up: false, rttMilliseconds: 0, reason: .timeout)
        }
        return byName
    }

    /// Reads replies until the deadline (or until `done` says all answered).
    mutating func receive(from sockets: [ICMPMessage.Family: ICMPSocket], until deadline: ContinuousClock.Instant,
                          done: ([Int: SweepResult]) -> Bool = { _ in false }) {
        var descriptors = sockets.values.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        while !done(results) {
            let remaining = deadline - ContinuousClock.now
            let milliseconds = max(0, Int32((remaining / .milliseconds(1)).rounded(.up)))
            let ready = poll(&descriptors, nfds_t(descriptors.count), remaining <= .zero ? 0 : milliseconds)
            if ready > 0 {
                for socket in sockets.values {
                    socket.receiveAll { message, source in handle(message, from: source, socket: socket) }
                }
            }
            if ContinuousClock.now >= deadline { return }
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
