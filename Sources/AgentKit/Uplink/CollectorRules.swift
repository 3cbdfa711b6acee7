import CollectorModel
import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ServiceSupport
import Synchronization

/// The collector's ingest rules as the agent last learned them (at every
/// Register), kept in the state directory so a restarted agent that cannot
/// reach its collector still checks by them. The local intake checks every
/// event by these, so it never answers 201 for what the collector would
/// refuse. Times are checked against the collector's clock: the offset
/// between the two clocks is learned with the rules.
public final class CollectorRules: Sendable {
    struct Snapshot: Codable, Equatable {
        var maxNameBytes: Int
        var maxFieldsBytes: Int
        var maxFutureSkewSeconds: Double
        var maxAgeSeconds: Double?
        /// The collector's clock minus the agent's, in seconds.
        var clockOffsetSeconds: Double
    }

    private let path: String
    private let snapshot: Mutex<Snapshot>

    init(directory: String) {
        path = directory.appendingPath("collector-rules.json")
        let defaults = IngestRules()
        let stored = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(Snapshot.self, from: $0) }
        snapshot = Mutex(stored ?? Snapshot(maxNameBytes: defaults.maxNameBytes, maxFieldsBytes: defaults.maxFieldsBytes,
                                            maxFutureSkewSeconds: defaults.maxFutureSkew, maxAgeSeconds: defaults.maxAge,
                                            clockOffsetSeconds: 0))
    }

    /// The rules to check a record by now.
    public var rules: IngestRules {
        let current = snapshot.withLock { $0 }
        var rules = IngestRules(maxFutureSkew: current.maxFutureSkewSeconds, maxAge: current.maxAgeSeconds)
        rules.maxNameBytes = current.maxNameBytes
        rules.maxFieldsBytes = current.maxFieldsBytes
        let offset = current.clockOffsetSeconds
        rules.now = { Date().addingTimeInterval(offset) }
        return rules
    }

    /// Takes what a Register answer says; a collector too old to say
    /// anything leaves the rules as they were.
    func learn(from response: Collector_V1_RegisterResponse, receivedAt: Date) throws {
        guard response.hasRules else { return }
        let wire = response.rules
        let collectorTime = response.collectorTimeUnixNano > 0 ? Double(response.collectorTimeUnixNano) / 1e9 : receivedAt.timeIntervalSince1970
        let learned = Snapshot(maxNameBytes: Int(wire.maxNameBytes), maxFieldsBytes: Int(wire.maxFieldsBytes),
                               maxFutureSkewSeconds: Double(wire.maxFutureSkewSeconds),
                               maxAgeSeconds: wire.maxAgeSeconds == 0 ? nil : Double(wire.maxAgeSeconds),
                               clockOffsetSeconds: collectorTime - receivedAt.timeIntervalSince1970)
        let changed = snapshot.withLock { current in
            defer { current = learned }
            // The offset moves a little at every connect; write only real changes.
            var rounded = current
            rounded.clockOffsetSeconds = learned.clockOffsetSeconds
            return rounded != learned || abs(current.clockOffsetSeconds - learned.clockOffsetSeconds) > 1
        }
        if changed { try DurableFile.replace([Array(try JSONEncoder().encode(learned))], to: path) }
    }
}
