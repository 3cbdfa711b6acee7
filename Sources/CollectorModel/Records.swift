#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A token as the collector keeps it: never the secret, only its hash.
public struct TokenRecord: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var secretHash: String
    public var scopes: Set<Scope>
    public var site: String?
    public var created: Date
    public var revoked: Date?
    public var lastUsed: Date?
    /// OAuth access tokens expire; operators' tokens do not.
    public var expires: Date?

    public init(id: String, name: String, secretHash: String, scopes: Set<Scope>, site: String?, created: Date,
                revoked: Date? = nil, lastUsed: Date? = nil, expires: Date? = nil) {
        self.id = id
        self.name = name
        self.secretHash = secretHash
        self.scopes = scopes
        self.site = site
        self.created = created
        self.revoked = revoked
        self.lastUsed = lastUsed
        self.expires = expires
    }
}

/// A client of the legacy tracking API's OAuth2 client-credentials flow.
public struct OAuthClientRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var secretHash: String
    public var scopes: Set<Scope>
    public var site: String
    public var created: Date
    public var revoked: Date?

    public init(id: String, name: String, secretHash: String, scopes: Set<Scope>, site: String, created: Date, revoked: Date? = nil) {
        self.id = id
        self.name = name
        self.secretHash = secretHash
        self.scopes = scopes
        self.site = site
        self.created = created
        self.revoked = revoked
    }
}

/// What an agent says when it starts.
public struct AgentRegistration: Sendable, Equatable {
    public var agentID: String
    public var site: String
    public var hostname: String
    public var agentVersion: String
    public var instance: InstanceInfo?
    public var instanceUUID: UUID?

    public init(agentID: String, site: String, hostname: String, agentVersion: String, instance: InstanceInfo?, instanceUUID: UUID?) {
        self.agentID = agentID
        self.site = site
        self.hostname = hostname
        self.agentVersion = agentVersion
        self.instance = instance
        self.instanceUUID = instanceUUID
    }

    /// Agent ids are chosen by agents: keep them to a safe, bounded alphabet.
    public static func validate(agentID: String) throws(ValidationError) {
        guard (1...128).contains(agentID.utf8.count),
              agentID.unicodeScalars.allSatisfy({ $0.isAlphanumeric || "-_.".unicodeScalars.contains($0) }),
              agentID.allSatisfy(\.isASCII)
        else { throw ValidationError(field: "agent_id", "must be 1-128 characters of A-Z a-z 0-9 - _ .") }
    }
}

public struct AgentRecord: Sendable, Equatable {
    public var id: String
    public var site: String
    public var hostname: String
    public var agentVersion: String
    public var instanceUUID: UUID?
    public var firstSeen: Date
    public var lastSeen: Date
    public var highWaterMark: UInt64
    public var droppedBatches: UInt64
    public var latestHostSample: HostSample?

    public init(id: String, site: String, hostname: String, agentVersion: String, instanceUUID: UUID?, firstSeen: Date, lastSeen: Date, highWaterMark: UInt64, droppedBatches: UInt64, latestHostSample: HostSample? = nil) {
        self.id = id
        self.site = site
        self.hostname = hostname
        self.agentVersion = agentVersion
        self.instanceUUID = instanceUUID
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.highWaterMark = highWaterMark
        self.droppedBatches = droppedBatches
        self.latestHostSample = latestHostSample
    }
}
