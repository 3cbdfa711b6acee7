import CollectorModel
import Foundation
import GRDB

extension SQLiteStore {
    public func instance(uuid: UUID) async throws -> Instance? {
        try await pool.read { db in try Self.instance(uuid: uuid, db: db) }
    }

    public func updateInstance(uuid: UUID, info: InstanceInfo, at time: Date) async throws -> Instance? {
        try await write { db in
            try db.execute(sql: "UPDATE instances SET url = ?, contact = ?, email = ?, organization = ?, updated = ? WHERE uuid = ?",
                           arguments: [info.url, info.contact, info.email, info.organization, time.unixNanos, uuid.uuidString.lowercased()])
            guard db.changesCount > 0 else { return nil }
            return try Self.instance(uuid: uuid, db: db)
        }
    }

    public func instances(_ query: InstanceQuery) async throws -> InstancePage {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let enabled = query.enabled {
            conditions.append("enabled = ?")
            _ = arguments.append(contentsOf: [enabled])
        }
        if let country = query.country {
            conditions.append("country = ?")
            _ = arguments.append(contentsOf: [country])
        }
        if let organization = query.organization {
            conditions.append("organization = ?")
            _ = arguments.append(contentsOf: [organization])
        }
        if let text = query.text, !text.isEmpty {
            conditions.append("(LOWER(url) LIKE ? ESCAPE '\\' OR LOWER(contact) LIKE ? ESCAPE '\\')")
            let pattern = "%" + Self.escapeLike(text.lowercased()) + "%"
            _ = arguments.append(contentsOf: [pattern, pattern])
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        // The sort column comes from a closed enum, never from input text.
        let order = "\(query.sortBy.rawValue) \(query.descending ? "DESC" : "ASC"), uuid"
        let limit = max(1, min(query.limit, 1000))
        let offset = max(0, query.offset)
        let finalArguments = arguments
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM instances \(whereClause)", arguments: finalArguments) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM instances \(whereClause) ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)",
                                        arguments: finalArguments)
            return InstancePage(instances: rows.compactMap(Self.instance(from:)), total: total)
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
