import CollectorModel
import CollectorProto
import Foundation
import GRPCCore

extension AdminService {
    static let backupChunkBytes = 256 << 10

    /// The copy is made in the data directory (same disk, owner-only),
    /// streamed, then deleted.
    public func backup(request: Collector_V1_BackupRequest, response: RPCWriter<Collector_V1_BackupChunk>, context: ServerContext) async throws {
        try FileManager.default.createDirectory(atPath: backupDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let path = (backupDirectory as NSString).appendingPathComponent("backup-\(UUID().uuidString.lowercased()).sqlite")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let started = ContinuousClock.now
        try await storeCall { try await store.backup(to: path) }
        guard let file = FileHandle(forReadingAtPath: path) else { throw RPCError(code: .internalError, message: "backup file vanished") }
        defer { try? file.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0
        var first = true
        while let data = try file.read(upToCount: Self.backupChunkBytes), !data.isEmpty {
            var chunk = Collector_V1_BackupChunk()
            chunk.data = data
            if first { chunk.totalBytes = total }
            first = false
            try await response.write(chunk)
        }
        logger.info("backup streamed", metadata: ["bytes": "\(total)", "seconds": "\((ContinuousClock.now - started).seconds)"])
    }
}
