import CollectorModel
import Foundation
import PostgresNIO

extension PostgresStore: InstanceStore {
    public func instance(uuid: UUID) async throws -> Instance? {
        try await query("SELECT * FROM instances WHERE uuid = \(uuid.uuidString.lowercased())").firstRow(Self.instance(from:)) ?? nil
    }

    public func registerInstance(_ info: InstanceInfo, country: String, at time: Date) async throws -> Instance {
        let uuid = UUID()
        let now = time.unixNanos
        guard let instance = try await query("""
            INSERT INTO instances (uuid, url, contact, email, organization, enabled, country, created, updated)
            VALUES (\(uuid.uuidString.lowercased()), \(info.url), \(info.contact), \(info.email), \(info.organization), 1, \(country),
                    \(now), \(now))
            RETURNING *
            """).firstRow(Self.instance(from:)) ?? nil
        else { throw StoreError.unavailable("instance row vanished") }
        return instance
    }

    public func importInstances(_ instances: [Instance]) async throws -> Int {
        try await transaction { connection in
            var created = 0
            for instance in instances {
                let crawl = instance.lastCrawl
                let inserted = try await connection.query("""
                    INSERT INTO instances (uuid, url, contact, email, organization, enabled, country, created, updated,
                        crawled_json, last_crawl_time, last_crawl_result, last_crawl_status, last_crawl_detail)
                    VALUES (\(instance.uuid.uuidString.lowercased()), \(instance.info.url), \(instance.info.contact),
                            \(instance.info.email), \(instance.info.organization), \(instance.enabled ? 1 : 0), \(instance.country),
                            \(instance.created.unixNanos), \(instance.updated.unixNanos), \(instance.crawledJSON),
                            \(crawl?.time.unixNanos), \(crawl?.result), \(crawl?.httpStatus), \(crawl?.detail))
                    ON CONFLICT (uuid) DO NOTHING RETURNING uuid
                    """).all { _ in () }
                created += inserted.count
            }
            return created
        }
    }

    public func updateInstance(uuid: UUID, info: InstanceInfo, at time: Date) async throws -> Instance? {
        try await patchInstance(uuid: uuid, InstancePatch(url: info.url, contact: info.contact, email: info.email,
                                                          organization: info.organization), at: time)
    }

    public func patchInstance(uuid: UUID, _ patch: InstancePatch, at time: Date) async throws -> Instance? {
        let key = uuid.uuidString.lowercased()
        return try await transaction { connection in
            // Locked: two collectors patching one instance apply in turn,
            // each against what the other wrote.
            guard let existing = try await connection.query("SELECT * FROM instances WHERE uuid = \(key) FOR UPDATE")
                .firstRow(Self.instance(from:)) ?? nil
            else { return nil }
            let info = try patch.applied(to: existing.info)
            let enabled = patch.enabled ?? existing.enabled
            // A new URL may be a new server: its country is looked up again.
            let moved = info.url != existing.info.url
            return try await connection.query("""
                UPDATE instances SET url = \(info.url), contact = \(info.contact), email = \(info.email),
                    organization = \(info.organization), enabled = \(enabled ? 1 : 0), updated = \(time.unixNanos),
                    country_checked = CASE WHEN \(moved) THEN NULL ELSE country_checked END
                WHERE uuid = \(key) RETURNING *
                """).firstRow(Self.instance(from:)) ?? nil
        }
    }

    public func setInstanceCountry(uuid: UUID, country: String, at time: Date) async throws {
        try await query("""
            UPDATE instances SET country = \(country), country_checked = \(time.unixNanos) WHERE uuid = \(uuid.uuidString.lowercased())
            """)
    }

    public func recordCrawls(_ samples: [CrawlSample]) async throws {
        guard !samples.isEmpty else { return }
        _ = try await commit([.crawls(samples)], at: Date())
    }

    /// As on SQLite: the outcome always; the document and its numbers only
    /// when the crawl succeeded, so a failing instance keeps its last good data.
    func record(_ sample: CrawlSample, _ connection: PostgresConnection) async throws {
        let uuid = sample.instanceUUID.uuidString.lowercased()
        let outcome = sample.outcome
        let time = outcome.time.unixNanos
        let updated: [Void]
        if let document = sample.document, outcome.succeeded {
            updated = try await connection.query("""
                UPDATE instances SET crawled_json = \(JSONValue.text(document)), last_crawl_time = \(time),
                    last_crawl_result = \(outcome.result), last_crawl_status = \(outcome.httpStatus), last_crawl_detail = \(outcome.detail)
                WHERE uuid = \(uuid) RETURNING uuid
                """).all { _ in () }
        } else {
            updated = try await connection.query("""
                UPDATE instances SET last_crawl_time = \(time), last_crawl_result = \(outcome.result),
                    last_crawl_status = \(outcome.httpStatus), last_crawl_detail = \(outcome.detail)
                WHERE uuid = \(uuid) RETURNING uuid
                """).all { _ in () }
        }
        guard !updated.isEmpty else { return }
        try await connection.query("""
            INSERT INTO crawl_history (instance_uuid, time, result, status, detail)
            VALUES (\(uuid), \(time), \(outcome.result), \(outcome.httpStatus), \(outcome.detail))
            """)
        try await connection.query("""
            DELETE FROM crawl_history WHERE instance_uuid = \(uuid) AND time < (
                SELECT time FROM crawl_history WHERE instance_uuid = \(uuid) ORDER BY time DESC
                LIMIT 1 OFFSET \(SQLiteStore.crawlHistoryDepth - 1))
            """)
        let points = sample.seriesPoints
        if !points.isEmpty { try await appendLog(IngestLog.encode(points), connection) }
    }

    public func crawlHistory(uuid: UUID, limit: Int) async throws -> [CrawlOutcome] {
        try await query("""
            SELECT time, result, status, detail FROM crawl_history WHERE instance_uuid = \(uuid.uuidString.lowercased())
            ORDER BY time DESC LIMIT \(max(1, limit))
            """).all { row in
            CrawlOutcome(time: Date(unixNanos: try row["time"]), result: try row["result"], httpStatus: try row["status", as: Int.self],
                         detail: try row["detail"])
        }
    }

    public func crawlTargets(uuid: UUID?, lastCrawledBefore: Date?) async throws -> [CrawlTarget] {
        let rows: [PostgresRow]
        if let uuid {
            rows = try await query("SELECT uuid, url FROM instances WHERE uuid = \(uuid.uuidString.lowercased())")
        } else {
            // Agents crawl their own instances; the collector crawls the rest.
            rows = try await query("""
                SELECT uuid, url FROM instances WHERE enabled = 1 AND agent_id IS NULL
                AND (\(lastCrawledBefore?.unixNanos)::BIGINT IS NULL OR last_crawl_time IS NULL
                     OR last_crawl_time < \(lastCrawledBefore?.unixNanos))
                ORDER BY uuid
                """)
        }
        return try rows.all(Self.target(from:)).compactMap { $0 }
    }

    public func countryTargets(checkedBefore: Date) async throws -> [CrawlTarget] {
        try await query("""
            SELECT uuid, url FROM instances WHERE country_checked IS NULL OR country_checked < \(checkedBefore.unixNanos) ORDER BY uuid
            """).all(Self.target(from:)).compactMap { $0 }
    }

    public func statisticsInputs() async throws -> [InstanceStatistics.Input] {
        try await query("SELECT country, crawled_json, created, enabled FROM instances").all { row in
            let text = try row["crawled_json", as: String?.self]
            return InstanceStatistics.Input(country: try row["country"], document: text.flatMap { try? JSONValue.parseObject(Array($0.utf8)) },
                                            created: Date(unixNanos: try row["created"]), enabled: try row["enabled", as: Int.self] != 0)
        }
    }

    public func instances(_ query: InstanceQuery) async throws -> InstancePage {
        var filter = PostgresInstanceFilter()
        let whereClause = try filter.whereClause(for: query)
        let total = try await self.query(PostgresQuery(unsafeSQL: "SELECT COUNT(*) AS total FROM instances \(whereClause)",
                                                       binds: filter.bindings))
            .firstRow { row in try row["total", as: Int64.self] } ?? 0
        let sort = try filter.expression(for: query.sortBy)
        // Instances without the field sort last either way.
        let order = "(\(sort)) IS NULL, \(sort) \(query.descending ? "DESC" : "ASC"), uuid"
        let limit = max(1, min(query.limit, 1000))
        let offset = max(0, query.offset)
        let rows = try await self.query(PostgresQuery(
            unsafeSQL: "SELECT * FROM instances \(whereClause) ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)", binds: filter.bindings))
        return InstancePage(instances: try rows.all(Self.instance(from:)).compactMap { $0 }, total: Int(total))
    }

    public func deleteInstance(uuid: UUID) async throws -> Bool {
        let key = uuid.uuidString.lowercased()
        return try await transaction { connection in
            guard let agent = try await connection.query("SELECT agent_id FROM instances WHERE uuid = \(key) FOR UPDATE")
                .firstRow({ row in try row["agent_id", as: String?.self] })
            else { return false }
            if let agent {
                throw StoreError.conflict("instance \(key) belongs to agent '\(agent)': it would come back at its next registration")
            }
            try await connection.query("DELETE FROM crawl_history WHERE instance_uuid = \(key)")
            try await connection.query("UPDATE agents SET instance_uuid = NULL WHERE instance_uuid = \(key)")
            try await connection.query("DELETE FROM instances WHERE uuid = \(key)")
            return true
        }
    }

    static func target(from row: PostgresRandomAccessRow) throws -> CrawlTarget? {
        guard let uuid = UUID(uuidString: try row["uuid", as: String.self]) else { return nil }
        return CrawlTarget(uuid: uuid, url: try row["url"])
    }

    static func instance(from row: PostgresRandomAccessRow) throws -> Instance? {
        guard let uuid = UUID(uuidString: try row["uuid", as: String.self]) else { return nil }
        var lastCrawl: CrawlOutcome?
        if let time = try row["last_crawl_time", as: Int64?.self] {
            lastCrawl = CrawlOutcome(time: Date(unixNanos: time), result: try row["last_crawl_result", as: String?.self] ?? "",
                                     httpStatus: try row["last_crawl_status", as: Int?.self] ?? 0,
                                     detail: try row["last_crawl_detail", as: String?.self] ?? "")
        }
        return Instance(
            uuid: uuid,
            info: InstanceInfo(url: try row["url"], contact: try row["contact"], email: try row["email"], organization: try row["organization"]),
            enabled: try row["enabled", as: Int.self] != 0, country: try row["country"],
            created: Date(unixNanos: try row["created"]), updated: Date(unixNanos: try row["updated"]),
            lastCrawl: lastCrawl, crawledJSON: try row["crawled_json"], agentID: try row["agent_id"], site: try row["site"])
    }
}

/// The instance list's conditions in PostgreSQL's form: columns named by a
/// closed enum, crawled fields read from the document as jsonb by a key
/// passed as a parameter, every value a parameter, never spliced from input.
struct PostgresInstanceFilter {
    private(set) var bindings = PostgresBindings()

    private mutating func parameter(_ value: some PostgresThrowingDynamicTypeEncodable) throws -> String {
        try bindings.append(value)
        return "$\(bindings.count)"
    }

    mutating func expression(for field: InstanceQuery.Field) throws -> String {
        switch field {
        case .main(let main): main.rawValue
        case .crawled(let name): "(crawled_json::jsonb -> \(try parameter(name)))"
        }
    }

    /// The value as jsonb, for comparing with a crawled field: numbers
    /// compare as numbers, booleans as booleans, as SQLite's json_extract does.
    private mutating func json(_ value: InstanceFilterValue) throws -> String {
        switch value {
        case .integer(let number): "to_jsonb(\(try parameter(number))::BIGINT)"
        case .real(let number): "to_jsonb(\(try parameter(number))::DOUBLE PRECISION)"
        case .boolean(let flag): "to_jsonb(\(try parameter(flag))::BOOLEAN)"
        case .text(let text): "to_jsonb(\(try parameter(text))::TEXT)"
        }
    }

    private mutating func column(_ value: InstanceFilterValue) throws -> String {
        switch value {
        case .integer(let number): try parameter(number)
        case .real(let number): try parameter(number)
        case .boolean(let flag): try parameter(flag ? 1 : 0)
        case .text(let text): try parameter(text)
        }
    }

    mutating func whereClause(for query: InstanceQuery) throws -> String {
        var conditions: [String] = []
        if let enabled = query.enabled { conditions.append("enabled = \(try parameter(enabled ? 1 : 0))") }
        if let country = query.country { conditions.append("country = \(try parameter(country))") }
        if let organization = query.organization { conditions.append("organization = \(try parameter(organization))") }
        if let text = query.text, !text.isEmpty {
            let pattern = try parameter("%" + SQLiteStore.escapeLike(text.lowercased()) + "%")
            conditions.append("(LOWER(url) LIKE \(pattern) ESCAPE '\\' OR LOWER(contact) LIKE \(pattern) ESCAPE '\\')")
        }
        switch query.crawlState {
        case .ok: conditions.append("last_crawl_result = 'ok'")
        case .failed: conditions.append("last_crawl_result <> 'ok'")
        case .never: conditions.append("last_crawl_result IS NULL")
        case nil: break
        }
        for filter in query.filters {
            let comparison = switch filter.comparison {
            case .equal: "="
            case .less: "<"
            case .greater: ">"
            }
            let value = InstanceFilterValue(filter.value, for: filter.field)
            let expression = try expression(for: filter.field)
            guard case .crawled = filter.field else {
                conditions.append("\(expression) \(comparison) \(try column(value))")
                continue
            }
            if filter.comparison == .equal {
                // "3.3" may be stored as the string or the number: either matches.
                conditions.append("(\(expression) = \(try json(value)) OR \(expression) = \(try json(.text(filter.value))))")
            } else {
                conditions.append("\(expression) \(comparison) \(try json(value))")
            }
        }
        return conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }
}
