import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    public func register(_ registration: AgentRegistration, at time: Date) async throws -> AgentRecord {
        let now = time.unixNanos
        return try await write { db in
            try db.execute(sql: "INSERT INTO sites (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                           arguments: [registration.site, now])
            if let existing = try Row.fetchOne(db, sql: "SELECT site FROM agents WHERE id = ?", arguments: [registration.agentID]),
               (existing["site"] as String) != registration.site {
                // An agent id is unique across sites; another site's token
                // must not take over its history.
                throw StoreError.agentOwnedElsewhere(registration.agentID)
            }
            let instanceUUID = try Self.instanceForRegistration(registration, now: now, db: db)
            try db.execute(sql: """
                INSERT INTO agents (id, site, hostname, agent_version, instance_uuid, first_seen, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    hostname = excluded.hostname, agent_version = excluded.agent_version,
                    instance_uuid = excluded.instance_uuid, last_seen = excluded.last_seen
                """,
                arguments: [registration.agentID, registration.site, registration.hostname, registration.agentVersion,
                            instanceUUID?.uuidString.lowercased(), now, now])
            guard let record = try Self.agent(id: registration.agentID, db: db) else {
                throw StoreError.unknownAgent(registration.agentID)
            }
            return record
        }
    }

    /// The instance an agent sits beside: the one it was given before if it
    /// still exists, else a new one (under the uuid the agent remembers, so
    /// a restored database keeps identities).
    private static func instanceForRegistration(_ registration: AgentRegistration, now: Int64, db: Database) throws -> UUID? {
        let known = try registration.instanceUUID.flatMap { uuid in
            try Row.fetchOne(db, sql: "SELECT site FROM instances WHERE uuid = ?", arguments: [uuid.uuidString.lowercased()])
                .map { (uuid, $0["site"] as String?) }
        }
        // Naming another site's instance, with or without its details, is
        // refused: the agent's crawls would be filed under it.
        if let (uuid, site) = known, let site, site != registration.site { throw StoreError.instanceOwnedElsewhere(uuid) }
        guard let info = registration.instance else { return registration.instanceUUID }
        if let (uuid, _) = known {
            try db.execute(sql: "UPDATE instances SET agent_id = ?, site = ? WHERE uuid = ?",
                           arguments: [registration.agentID, registration.site, uuid.uuidString.lowercased()])
            return uuid
        }
        let uuid = registration.instanceUUID ?? UUID()
        try db.execute(sql: """
            INSERT INTO instances (uuid, url, contact, email, organization, enabled, country, created, updated, agent_id, site)
            VALUES (?, ?, ?, ?, ?, 1, 'unknown', ?, ?, ?, ?)
            """,
            arguments: [uuid.uuidString.lowercased(), info.url, info.contact, info.email, info.organization, now, now,
                        registration.agentID, registration.site])
        return uuid
    }

    public func agent(id: String) async throws -> AgentRecord? {
        try await pool.read { db in try Self.agent(id: id, db: db) }
    }

    public func agents(site: String?) async throws -> [AgentRecord] {
        try await pool.read { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM agents WHERE ? IS NULL OR site = ? ORDER BY site, id",
                                          arguments: [site, site])
            return try ids.compactMap { try Self.agent(id: $0, db: db) }
        }
    }

    static func agent(id: String, db: Database) throws -> AgentRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM agents WHERE id = ?", arguments: [id]) else { return nil }
        let latest = try String.fetchOne(db, sql: "SELECT sample_json FROM host_samples WHERE agent_id = ? ORDER BY time DESC LIMIT 1",
                                         arguments: [id])
        return AgentRecord(
            id: row["id"], site: row["site"], hostname: row["hostname"], agentVersion: row["agent_version"],
            instanceUUID: (row["instance_uuid"] as String?).flatMap(UUID.init(uuidString:)),
            firstSeen: Date(unixNanos: row["first_seen"]), lastSeen: Date(unixNanos: row["last_seen"]),
            highWaterMark: UInt64(row["high_water_mark"] as Int64),
            droppedBatches: UInt64(row["dropped_batches"] as Int64),
            latestHostSample: latest.flatMap(HostSampleCoding.decode))
    }
}

/// Host samples are stored as JSON documents beside their series points:
/// the document keeps the per-disk and per-interface shape for listings.
enum HostSampleCoding {
    static func encode(_ sample: HostSample) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return String(decoding: try encoder.encode(sample), as: UTF8.self)
    }

    static func decode(_ text: String) -> HostSample? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try? decoder.decode(HostSample.self, from: Data(text.utf8))
    }
}
