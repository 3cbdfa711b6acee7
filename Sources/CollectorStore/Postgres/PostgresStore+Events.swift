import CollectorModel
import Foundation
import NIOCore
import PostgresNIO
import Synchronization

extension PostgresStore: EventStore {
    public func insertEvents(_ events: [Event], at time: Date) async throws {
        guard !events.isEmpty else { return }
        _ = try await commit([.events(events, keepingIDs: true)], at: time)
    }

    /// As on SQLite (`EventDocuments`), in PostgreSQL's form: the ids are
    /// claimed first, so an id two collectors store at once is claimed by
    /// one (the other waits on the key and finds it taken), then the new
    /// events' documents go into one log row that the claims point at.
    func insert(events: [Event], keepingIDs: Bool, _ connection: PostgresConnection) async throws {
        let kept = EventDocuments.kept(events, keepingIDs: keepingIDs)
        var fresh: [Event] = []
        if !kept.isEmpty {
            // In id order: two collectors claiming the same ids in other
            // orders would each hold a key the other waits for.
            let ids = Set(kept.map(\.id)).sorted()
            let claimed = Set(try await connection.query("""
                INSERT INTO event_ids (id) SELECT id FROM unnest(\(ids)::TEXT[]) WITH ORDINALITY AS claim(id, position)
                ORDER BY position ON CONFLICT (id) DO NOTHING RETURNING id
                """).all { row in try row["id", as: String.self] })
            // One document per id: a write naming an id twice keeps the first.
            var seen: Set<String> = []
            fresh = kept.filter { claimed.contains($0.id) && seen.insert($0.id).inserted }
        }
        if !fresh.isEmpty {
            let data = try EventDocuments.encode(fresh)
            let logID = try await connection.query("""
                INSERT INTO ingest_log (kind, count, data)
                VALUES (\(Int16(IngestLog.Kind.documents.rawValue)), \(Int32(fresh.count)), \(ByteBuffer(bytes: data)))
                RETURNING id
                """).firstRow { row in try row["id", as: Int64.self] }
            try await connection.query("UPDATE event_ids SET log_id = \(logID) WHERE id = ANY(\(fresh.map(\.id)))")
        }
        try await appendLog(IngestLog.encode(EventDocuments.points(of: events, keepingIDs: keepingIDs, fresh: fresh)), connection)
    }

    /// In one snapshot: compaction may move the document from its log row
    /// into a block meanwhile.
    public func event(id: String) async throws -> Event? {
        try await snapshot { connection in
            guard let (logID, blockID) = try await connection.query("SELECT log_id, block_id FROM event_ids WHERE id = \(id)")
                .firstRow({ row in (try row["log_id", as: Int64?.self], try row["block_id", as: Int64?.self]) })
            else { return nil }
            let events: [Event]
            if let logID {
                guard let data = try await Self.bytes(connection.query("SELECT data FROM ingest_log WHERE id = \(logID)")) else { return nil }
                events = try EventDocuments.decode(data)
            } else if let blockID {
                if let cached = self.blocks.events(of: blockID) {
                    events = cached
                } else {
                    guard let data = try await Self.bytes(connection.query("SELECT data FROM event_blocks WHERE id = \(blockID)")) else { return nil }
                    events = try EventDocuments.decode(try Deflate.decompress(data))
                    self.blocks.keep(events, of: blockID)
                }
            } else {
                return nil
            }
            return events.first { $0.id == id }
        }
    }

    /// Every document of one series, by time: a scan, for tools and tests.
    public func events(namespace: String, name: String) async throws -> [Event] {
        let (logged, blocks) = try await snapshot { connection in
            (try await connection.query("SELECT data FROM ingest_log WHERE kind = \(Int16(IngestLog.Kind.documents.rawValue))")
                .all(Self.bytes(from:)),
             try await connection.query("SELECT data FROM event_blocks").all(Self.bytes(from:)))
        }
        var found: [Event] = []
        for data in logged {
            found += try EventDocuments.decode(data).filter { $0.namespace == namespace && $0.name == name }
        }
        for data in blocks {
            found += try EventDocuments.decode(try Deflate.decompress(data)).filter { $0.namespace == namespace && $0.name == name }
        }
        return found.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }

    static func bytes(from row: PostgresRandomAccessRow) throws -> [UInt8] {
        var buffer = try row["data", as: ByteBuffer.self]
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    private static func bytes(_ rows: PostgresRowSequence) async throws -> [UInt8]? {
        try await rows.firstRow(bytes(from:))
    }
}

/// The last few document blocks read, decoded. A block never changes once
/// compaction wrote it, and its id is never reused (an identity), so a
/// client looking up the events of one block one by one (the event
/// service's GET) fetches and inflates it once, not once per event: the
/// whole block crosses the network for each lookup otherwise.
final class DocumentBlockCache: Sendable {
    private let blocks = Mutex<[(id: Int64, events: [Event])]>([])
    static let capacity = 8

    func events(of id: Int64) -> [Event]? {
        blocks.withLock { blocks in blocks.first { $0.id == id }?.events }
    }

    func keep(_ events: [Event], of id: Int64) {
        blocks.withLock { blocks in
            blocks.removeAll { $0.id == id }
            blocks.append((id, events))
            if blocks.count > Self.capacity { blocks.removeFirst() }
        }
    }
}
