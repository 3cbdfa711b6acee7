import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    /// Crawl outcomes kept per instance; older ones are deleted as new ones come.
    static let crawlHistoryDepth = 50

    public func instance(uuid: UUID) async throws -> Instance? {
        try await pool.read { db in try Self.instance(uuid: uuid, db: db) }
    }

    public func registerInstance(_ info: InstanceInfo, country: String, at time: Date) async throws -> Instance {
        let uuid = UUID()
        let now = time.unixNanos
        return try await write { db in
            try db.execute(sql: """
                INSERT INTO instances (uuid, url, contact, email, organization, enabled, country, created, updated)
                VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)
                """,
                arguments: [uuid.uuidString.lowercased(), info.url, info.contact, info.email, info.organization, country, now, now])
            guard let instance = try Self.instance(uuid: uuid, db: db) else { throw StoreError.unavailable("instance row vanished") }
            return instance
        }
    }

    public func importInstances(_ instances: [Instance]) async throws -> Int {
        try await write { db in
            var created = 0
            for instance in instances {
                let crawl = instance.lastCrawl
                try db.execute(sql: """
                    INSERT INTO instances (uuid, url, contact, email, organization, enabled, country, created, updated,
                        crawled_json, last_crawl_time, last_crawl_result, last_crawl_status, last_crawl_detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (uuid) DO NOTHING
                    """,
                    arguments: [instance.uuid.uuidString.lowercased(), instance.info.url, instance.info.contact, instance.info.email,
                                instance.info.organization, instance.enabled, instance.country, instance.created.unixNanos,
                                instance.updated.unixNanos, instance.crawledJSON, crawl?.time.unixNanos, crawl?.result,
                                crawl?.httpStatus, crawl?.detail])
                created += db.changesCount
            }
            return created
        }
    }

    public func updateInstance(uuid: UUID, info: InstanceInfo, at time: Date) async throws -> Instance? {
        try await patchInstance(uuid: uuid, InstancePatch(url: info.url, contact: info.contact, email: info.email,
                                                          organization: info.organization), at: time)
    }

    public func patchInstance(uuid: UUID, _ patch: InstancePatch, at time: Date) async throws -> Instance? {
        try await write { db in
            guard let existing = try Self.instance(uuid: uuid, db: db) else { return nil }
            let info = try patch.applied(to: existing.info)
            let enabled = patch.enabled ?? existing.enabled
            // A new URL may be a new server: its country is looked up again.
            let moved = info.url != existing.info.url
            try db.execute(sql: """
                UPDATE instances SET url = ?, contact = ?, email = ?, organization = ?, enabled = ?, updated = ?,
                    country_checked = CASE WHEN ? THEN NULL ELSE country_checked END
                WHERE uuid = ?
                """,
                arguments: [info.url, info.contact, info.email, info.organization, enabled, time.unixNanos, moved,
                            uuid.uuidString.lowercased()])
            return try Self.instance(uuid: uuid, db: db)
        }
    }

    public func setInstanceCountry(uuid: UUID, country: String, at time: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE instances SET country = ?, country_checked = ? WHERE uuid = ?",
                           arguments: [country, time.unixNanos, uuid.uuidString.lowercased()])
        }
    }

    public func recordCrawls(_ samples: [CrawlSample]) async throws {
        guard !samples.isEmpty else { return }
        _ = try await commit([.crawls(samples)], at: Date())
    }

    /// The outcome always; the document and its numbers only when the crawl
    /// succeeded, so a failing instance keeps its last good data.
    func record(_ sample: CrawlSample, db: Database) throws {
        let uuid = sample.instanceUUID.uuidString.lowercased()
        let outcome = sample.outcome
        let time = outcome.time.unixNanos
        if let document = sample.document, outcome.succeeded {
            try db.execute(sql: """
                UPDATE instances SET crawled_json = ?, last_crawl_time = ?, last_crawl_result = ?, last_crawl_status = ?,
                    last_crawl_detail = ? WHERE uuid = ?
                """,
                arguments: [JSONValue.text(document), time, outcome.result, outcome.httpStatus, outcome.detail, uuid])
        } else {
            try db.execute(sql: """
                UPDATE instances SET last_crawl_time = ?, last_crawl_result = ?, last_crawl_status = ?, last_crawl_detail = ?
                WHERE uuid = ?
                """,
                arguments: [time, outcome.result, outcome.httpStatus, outcome.detail, uuid])
        }
        guard db.changesCount > 0 else { return }
        try db.execute(sql: "INSERT INTO crawl_history (instance_uuid, time, result, status, detail) VALUES (?, ?, ?, ?, ?)",
                       arguments: [uuid, time, outcome.result, outcome.httpStatus, outcome.detail])
        try db.execute(sql: """
            DELETE FROM crawl_history WHERE instance_uuid = ? AND time < (
                SELECT time FROM crawl_history WHERE instance_uuid = ? ORDER BY time DESC LIMIT 1 OFFSET ?)
            """,
            arguments: [uuid, uuid, Self.crawlHistoryDepth - 1])
        let points = sample.seriesPoints
        if !points.isEmpty { try insert(points: points, db: db) }
    }

    public func crawlHistory(uuid: UUID, limit: Int) async throws -> [CrawlOutcome] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM crawl_history WHERE instance_uuid = ? ORDER BY time DESC LIMIT ?",
                             arguments: [uuid.uuidString.lowercased(), max(1, limit)]).map { row in
                CrawlOutcome(time: Date(unixNanos: row["time"]), result: row["result"], httpStatus: row["status"], detail: row["detail"])
            }
        }
    }

    public func crawlTargets(uuid: UUID?, lastCrawledBefore: Date?) async throws -> [CrawlTarget] {
        var sql = "SELECT uuid, url FROM instances WHERE "
        var arguments: StatementArguments = []
        if let uuid {
            sql += "uuid = ?"
            _ = arguments.append(contentsOf: [uuid.uuidString.lowercased()])
        } else {
            // Agents crawl their own instances; the collector crawls the rest.
            sql += "enabled = 1 AND agent_id IS NULL"
            if let before = lastCrawledBefore {
                sql += " AND (last_crawl_time IS NULL OR last_crawl_time < ?)"
                _ = arguments.append(contentsOf: [before.unixNanos])
            }
        }
        let finalArguments = arguments
        let finalSQL = sql + " ORDER BY uuid"
        return try await pool.read { db in
            try Row.fetchAll(db, sql: finalSQL, arguments: finalArguments).compactMap { row in
                UUID(uuidString: row["uuid"]).map { CrawlTarget(uuid: $0, url: row["url"]) }
            }
        }
    }

    public func countryTargets(checkedBefore: Date) async throws -> [CrawlTarget] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT uuid, url FROM instances WHERE country_checked IS NULL OR country_checked < ? ORDER BY uuid",
                             arguments: [checkedBefore.unixNanos]).compactMap { row in
                UUID(uuidString: row["uuid"]).map { CrawlTarget(uuid: $0, url: row["url"]) }
            }
        }
    }

    public func statisticsInputs() async throws -> [InstanceStatistics.Input] {
        try await pool.read { db in
            // Every instance, read by column position: by name, each read
            // lowercases the name to find its column.
            var inputs: [InstanceStatistics.Input] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT country, crawled_json, created, enabled FROM instances")
            while let row = try rows.next() {
                let text: String? = row[1]
                inputs.append(InstanceStatistics.Input(country: row[0], document: text.flatMap { try? JSONValue.parseObject(Array($0.utf8)) },
                                                       created: Date(unixNanos: row[2]), enabled: row[3]))
            }
            return inputs
        }
    }

    public func instances(_ query: InstanceQuery) async throws -> InstancePage {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        func condition(_ sql: String, _ values: [(any DatabaseValueConvertible)?]) {
            conditions.append(sql)
            _ = arguments.append(contentsOf: StatementArguments(values))
        }
        if let enabled = query.enabled { condition("enabled = ?", [enabled]) }
        if let country = query.country { condition("country = ?", [country]) }
        if let organization = query.organization { condition("organization = ?", [organization]) }
        if let text = query.text, !text.isEmpty {
            let pattern = "%" + Self.escapeLike(text.lowercased()) + "%"
            condition("(LOWER(url) LIKE ? ESCAPE '\\' OR LOWER(contact) LIKE ? ESCAPE '\\')", [pattern, pattern])
        }
        switch query.crawlState {
        case .ok: condition("last_crawl_result = 'ok'", [])
        case .failed: condition("last_crawl_result <> 'ok'", [])
        case .never: condition("last_crawl_result IS NULL", [])
        case nil: break
        }
        for filter in query.filters {
            let (expression, expressionArguments) = Self.expression(for: filter.field)
            let comparison = switch filter.comparison {
            case .equal: "="
            case .less: "<"
            case .greater: ">"
            }
            let value = Self.comparable(filter.value, for: filter.field)
            if case .crawled = filter.field, filter.comparison == .equal {
                // "3.3" may be stored as the string or the number: either matches.
                condition("(\(expression) = ? OR \(expression) = ?)", expressionArguments + [value] + expressionArguments + [filter.value])
            } else {
                condition("\(expression) \(comparison) ?", expressionArguments + [value])
            }
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let (sortExpression, sortArguments) = Self.expression(for: query.sortBy)
        // Instances without the field sort last either way.
        let order = "(\(sortExpression)) IS NULL, \(sortExpression) \(query.descending ? "DESC" : "ASC"), uuid"
        let limit = max(1, min(query.limit, 1000))
        let offset = max(0, query.offset)
        let filterArguments = arguments
        let pageArguments = arguments + StatementArguments(sortArguments + sortArguments)
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM instances \(whereClause)", arguments: filterArguments) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM instances \(whereClause) ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)",
                                        arguments: pageArguments)
            return InstancePage(instances: rows.compactMap(Self.instance(from:)), total: total)
        }
    }

    /// SQL for a field: a column named by a closed enum, or a JSON path into
    /// the crawled document passed as an argument, never spliced from input.
    static func expression(for field: InstanceQuery.Field) -> (String, [(any DatabaseValueConvertible)?]) {
        switch field {
        case .main(let main): (main.rawValue, [])
        // json_extract is SQLite's; PostgreSQL's equivalent is `crawled_json::jsonb #>> ?`.
        case .crawled(let name): ("json_extract(crawled_json, ?)", ["$.\"\(name)\""])
        }
    }

    /// A filter's value as SQLite compares it (booleans as 1 and 0).
    static func comparable(_ text: String, for field: InstanceQuery.Field) -> (any DatabaseValueConvertible)? {
        switch InstanceFilterValue(text, for: field) {
        case .integer(let value): value
        case .real(let value): value
        case .boolean(let value): value ? 1 : 0
        case .text(let value): value
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    static func instance(uuid: UUID, db: Database) throws -> Instance? {
        try Row.fetchOne(db, sql: "SELECT * FROM instances WHERE uuid = ?", arguments: [uuid.uuidString.lowercased()])
            .flatMap(instance(from:))
    }

    static func instance(from row: Row) -> Instance? {
        guard let uuid = UUID(uuidString: row["uuid"]) else { return nil }
        var lastCrawl: CrawlOutcome?
        if let time = row["last_crawl_time"] as Int64? {
            lastCrawl = CrawlOutcome(time: Date(unixNanos: time), result: row["last_crawl_result"] ?? "",
                                     httpStatus: row["last_crawl_status"] ?? 0, detail: row["last_crawl_detail"] ?? "")
        }
        return Instance(
            uuid: uuid,
            info: InstanceInfo(url: row["url"], contact: row["contact"], email: row["email"], organization: row["organization"]),
            enabled: row["enabled"], country: row["country"],
            created: Date(unixNanos: row["created"]), updated: Date(unixNanos: row["updated"]),
            lastCrawl: lastCrawl, crawledJSON: row["crawled_json"], agentID: row["agent_id"], site: row["site"])
    }
}

extension SQLiteStore {
    public func deleteInstance(uuid: UUID) async throws -> Bool {
        let key = uuid.uuidString.lowercased()
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT agent_id FROM instances WHERE uuid = ?", arguments: [key]) else { return false }
            if let agent = row["agent_id"] as String? {
                throw StoreError.conflict("instance \(key) belongs to agent '\(agent)': it would come back at its next registration")
            }
            try db.execute(sql: "DELETE FROM crawl_history WHERE instance_uuid = ?", arguments: [key])
            try db.execute(sql: "UPDATE agents SET instance_uuid = NULL WHERE instance_uuid = ?", arguments: [key])
            try db.execute(sql: "DELETE FROM instances WHERE uuid = ?", arguments: [key])
            return true
        }
    }
}
