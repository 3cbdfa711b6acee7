#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A lab room: its computers, their power figures, and the agent that sweeps it.
public struct Pool: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var room: String
    public var metadata: [String: String]
    /// Watts of one computer switched on.
    public var watts: Double
    /// Watts of one computer in standby, when known.
    public var standbyWatts: Double?
    public var agentID: String
    public var interval: Duration
    public var computers: [String]

    public init(id: Int64 = 0, name: String, room: String, metadata: [String: String] = [:], watts: Double,
                standbyWatts: Double? = nil, agentID: String, interval: Duration = .seconds(300), computers: [String] = []) {
        self.id = id
        self.name = name
        self.room = room
        self.metadata = metadata
        self.watts = watts
        self.standbyWatts = standbyWatts
        self.agentID = agentID
        self.interval = interval
        self.computers = computers
    }

    enum CodingKeys: String, CodingKey {
        case id, name, room, metadata, watts, standbyWatts = "standby_watts", agentID = "agent_id", intervalSeconds = "interval_seconds"
        case computers
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(Int64.self, forKey: .id) ?? 0
        name = try c.decode(String.self, forKey: .name)
        room = try c.decodeIfPresent(String.self, forKey: .room) ?? ""
        metadata = try c.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        watts = try c.decode(Double.self, forKey: .watts)
        standbyWatts = try c.decodeIfPresent(Double.self, forKey: .standbyWatts)
        agentID = try c.decode(String.self, forKey: .agentID)
        interval = .seconds(try c.decodeIfPresent(Double.self, forKey: .intervalSeconds) ?? 300)
        computers = try c.decodeIfPresent([String].self, forKey: .computers) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(room, forKey: .room)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(watts, forKey: .watts)
        try c.encodeIfPresent(standbyWatts, forKey: .standbyWatts)
        try c.encode(agentID, forKey: .agentID)
        try c.encode(interval.seconds, forKey: .intervalSeconds)
        try c.encode(computers, forKey: .computers)
    }

    /// Checks everything but the computers (see `ComputerAddresses`).
    public func validated() throws(ValidationError) -> Pool {
        var copy = self
        copy.name = name.trimmingSpaces()
        guard (1...128).contains(copy.name.count), !copy.name.contains("/") else {
            throw ValidationError(field: "name", "must be 1-128 characters without '/'")
        }
        guard room.count <= 128 else { throw ValidationError(field: "room", "is longer than 128 characters") }
        guard watts.isFinite, watts >= 0 else { throw ValidationError(field: "watts", "must be a number of watts, 0 or more") }
        if let standbyWatts {
            guard standbyWatts.isFinite, standbyWatts >= 0 else {
                throw ValidationError(field: "standby_watts", "must be a number of watts, 0 or more")
            }
        }
        try AgentRegistration.validate(agentID: agentID)
        guard interval >= .seconds(1), interval <= .seconds(86400) else {
            throw ValidationError(field: "interval", "must be between 1s and 24h")
        }
        for (key, value) in metadata where key.isEmpty || key.count > 64 || value.count > 1024 {
            throw ValidationError(field: "metadata", "keys must be 1-64 characters and values at most 1024")
        }
        return copy
    }
}

/// The result of pinging one computer in one sweep.
public struct Reachability: Sendable, Equatable {
    public enum Reason: String, Sendable, CaseIterable {
        case timeout, unreachable, unresolved
    }

    public var poolID: Int64
    public var address: String
    /// When the sweep started: the same for every computer of one sweep.
    public var time: Date
    public var up: Bool
    public var rttMilliseconds: Double
    /// Why the computer is down; nil when up.
    public var reason: Reason?

    public init(poolID: Int64, address: String, time: Date, up: Bool, rttMilliseconds: Double = 0, reason: Reason? = nil) {
        self.poolID = poolID
        self.address = address
        self.time = time
        self.up = up
        self.rttMilliseconds = rttMilliseconds
        self.reason = reason
    }
}

/// A change to a pool: present fields replace the stored ones; metadata is
/// merged, an empty value removing its key.
public struct PoolChange: Sendable, Equatable {
    public var newName: String?
    public var room: String?
    public var watts: Double?
    public var standbyWatts: Double?
    public var agentID: String?
    public var interval: Duration?
    public var metadata: [String: String]

    public init(newName: String? = nil, room: String? = nil, watts: Double? = nil, standbyWatts: Double? = nil,
                agentID: String? = nil, interval: Duration? = nil, metadata: [String: String] = [:]) {
        self.newName = newName
        self.room = room
        self.watts = watts
        self.standbyWatts = standbyWatts
        self.agentID = agentID
        self.interval = interval
        self.metadata = metadata
    }

    public func applied(to pool: Pool) throws(ValidationError) -> Pool {
        var changed = pool
        if let newName { changed.name = newName }
        if let room { changed.room = room }
        if let watts { changed.watts = watts }
        if let standbyWatts { changed.standbyWatts = standbyWatts }
        if let agentID { changed.agentID = agentID }
        if let interval { changed.interval = interval }
        for (key, value) in metadata {
            changed.metadata[key] = value.isEmpty ? nil : value
        }
        return try changed.validated()
    }
}

/// Where one computer stood at the last sweep.
public struct ComputerStatus: Sendable, Equatable {
    public var address: String
    public var up: Bool
    public var lastSweep: Date?
    public var lastUp: Date?
    public var lastRTTMilliseconds: Double
    public var reason: String?

    public init(address: String, up: Bool, lastSweep: Date?, lastUp: Date?, lastRTTMilliseconds: Double, reason: String?) {
        self.address = address
        self.up = up
        self.lastSweep = lastSweep
        self.lastUp = lastUp
        self.lastRTTMilliseconds = lastRTTMilliseconds
        self.reason = reason
    }
}
