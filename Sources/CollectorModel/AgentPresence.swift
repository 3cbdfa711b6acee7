#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An agent's spool as one of its batches reported it: batches on its disk
/// not yet acknowledged, and their payload bytes.
public struct SpoolReport: Sendable, Equatable {
    public var batches: UInt64
    public var bytes: UInt64
    public var reported: Date

    public init(batches: UInt64, bytes: UInt64, reported: Date) {
        self.batches = batches
        self.bytes = bytes
        self.reported = reported
    }
}

/// What a collector knows of its agents that is not stored: which have a
/// push stream open now, and the spool each reported last. Both live in
/// memory: they describe this moment, and a restart forgets them until the
/// agents send again.
public struct AgentPresence: Sendable, Equatable {
    public var connected: Set<String>
    public var spools: [String: SpoolReport]

    public init(connected: Set<String> = [], spools: [String: SpoolReport] = [:]) {
        self.connected = connected
        self.spools = spools
    }
}
