import CollectorModel
import Foundation
import PostgresNIO

extension PostgresStore: AgentStore {
    public func register(_ registration: AgentRegistration, at time: Date) async throws -> AgentRecord {
        let now = time.unixNanos
        return try await transaction { connection in
            try await Self.ensureSite(registration.site, at: time, connection)
            // Locked: two collectors registering the same agent at once
            // (an agent that failed over) take turns.
            let site = try await connection.query("SELECT site FROM agents WHERE id = \(registration.agentID) FOR UPDATE")
                .firstRow { row in try row["site", as: String.self] }
            if let site, site != registration.site {
                // An agent id is unique across sites; another site's token
                // must not take over its history.
                throw StoreError.agentOwnedElsewhere(registration.agentID)
            }
            let instanceUUID = try await Self.instanceForRegistration(registration, now: now, connection)
            try await connection.query("""
                INSERT INTO agents (id, site, hostname, agent_version, instance_uuid, first_seen, last_seen)
                VALUES (\(registration.agentID), \(registration.site), \(registration.hostname), \(registration.agentVersion),
                        \(instanceUUID?.uuidString.lowercased()), \(now), \(now))
                ON CONFLICT (id) DO UPDATE SET
                    hostname = excluded.hostname, agent_version = excluded.agent_version,
                    instance_uuid = excluded.instance_uuid, last_seen = excluded.last_seen
                """)
            guard let record = try await Self.agent(id: registration.agentID, connection) else {
                throw StoreError.unknownAgent(registration.agentID)
            }
            return record
        }
    }

    /// As on SQLite: the instance the agent was given before if it still
    /// exists, else a new one under the uuid the agent remembers.
    private static func instanceForRegistration(_ registration: AgentRegistration, now: Int64,
                                                _ connection: PostgresConnection) async throws -> UUID? {
        var known: (uuid: UUID, site: String?)?
        if let uuid = registration.instanceUUID {
            let lowered = uuid.uuidString.lowercased()
            known = try await connection.query("SELECT site FROM instances WHERE uuid = \(lowered) FOR UPDATE")
                .firstRow { row in (uuid, try row["site", as: String?.self]) }
        }
        // Naming another site's instance is refused: the agent's crawls
        // would be filed under it.
        if let known, let site = known.site, site != registration.site { throw StoreError.instanceOwnedElsewhere(known.uuid) }
        guard let info = registration.instance else { return registration.instanceUUID }
        if let known {
            try await connection.query("""
                UPDATE instances SET agent_id = \(registration.agentID), site = \(registration.site) WHERE uuid = \(known.uuid.uuidString.lowercased())
                """)
            return known.uuid
        }
        let uuid = registration.instanceUUID ?? UUID()
        try await connection.query("""
            INSERT INTO instances (uuid, url, contact, email, organization, enabled, country, created, updated, agent_id, site)
            VALUES (\(uuid.uuidString.lowercased()), \(info.url), \(info.contact), \(info.email), \(info.organization), 1, 'unknown',
                    \(now), \(now), \(registration.agentID), \(registration.site))
            """)
        return uuid
    }

    public func agent(id: String) async throws -> AgentRecord? {
        try await transaction { connection in try await Self.agent(id: id, connection) }
    }

    public func agents(site: String?) async throws -> [AgentRecord] {
        try await transaction { connection in
            let ids = try await connection.query("""
                SELECT id FROM agents WHERE \(site)::TEXT IS NULL OR site = \(site) ORDER BY site, id
                """).all { row in try row["id", as: String.self] }
            var records: [AgentRecord] = []
            for id in ids { if let record = try await Self.agent(id: id, connection) { records.append(record) } }
            return records
        }
    }

    static func agent(id: String, _ connection: PostgresConnection) async throws -> AgentRecord? {
        let latest = try await connection.query("""
            SELECT sample_json FROM host_samples WHERE agent_id = \(id) ORDER BY time DESC LIMIT 1
            """).firstRow { row in try row["sample_json", as: String.self] }
        return try await connection.query("""
            SELECT id, site, hostname, agent_version, instance_uuid, first_seen, last_seen, high_water_mark, dropped_batches
            FROM agents WHERE id = \(id)
            """).firstRow { row in
            AgentRecord(
                id: try row["id"], site: try row["site"], hostname: try row["hostname"], agentVersion: try row["agent_version"],
                instanceUUID: try row["instance_uuid", as: String?.self].flatMap(UUID.init(uuidString:)),
                firstSeen: Date(unixNanos: try row["first_seen"]), lastSeen: Date(unixNanos: try row["last_seen"]),
                highWaterMark: UInt64(try row["high_water_mark", as: Int64.self]),
                droppedBatches: UInt64(try row["dropped_batches", as: Int64.self]),
                latestHostSample: latest.flatMap(HostSampleCoding.decode))
        }
    }
}
