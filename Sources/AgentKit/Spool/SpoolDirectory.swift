#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CollectorModel
import Logging
import ServiceSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A batch on disk, as the spool's index knows it.
struct StoredBatch: Equatable {
    let sequence: UInt64
    /// Payload bytes, without the file header: what the bound counts.
    let size: Int
}

/// What reading one batch file found.
enum BatchRead {
    case payload([UInt8])
    case damaged(String)
}

/// The spool's directory and the file operations on it. Every write that
/// must survive a crash goes temp file → fsync → rename → fsync directory,
/// so after kill -9 or power loss a file is either its old self or
/// complete, never torn.
struct SpoolDirectory: Sendable {
    let path: String

    static let temporarySuffix = ".tmp"
    static let stateName = "state"
    /// Where batches that cannot be delivered are kept for a human to look at.
    static let quarantineName = "quarantine"

    func file(_ name: String) -> String { path.appendingPath(name) }

    func batchPath(_ sequence: UInt64) -> String { file(BatchFile.name(for: sequence)) }

    func create() throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw SpoolError("cannot create spool directory \(path): \(error.fileSystemReason)")
        }
    }

    func names() throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw SpoolError("cannot list spool directory \(path): \(error.fileSystemReason)")
        }
    }

    /// The size of a regular file in the directory; nil for anything else
    /// (a directory or symlink that happens to have a batch's name is not ours).
    func regularFileSize(_ name: String) -> Int? {
        var info = stat()
        guard lstat(file(name), &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    // MARK: - Batches

    /// Stores a batch durably. On failure nothing is left behind, so the
    /// caller may retry without risking the same records twice on disk.
    func writeBatch(_ payload: [UInt8], sequence: UInt64) throws {
        let target = batchPath(sequence)
        try writeDurably([BatchFile.header(for: payload), payload], to: target)
        do {
            try sync()
        } catch {
            unlink(target)
            throw error
        }
    }

    func readBatch(_ sequence: UInt64) throws -> BatchRead {
        let bytes: [UInt8]
        do {
            bytes = try Self.readFile(batchPath(sequence))
        } catch let error as SpoolError where !error.isTransient {
            return .damaged(error.message)
        }
        switch BatchFile.payload(from: bytes) {
        case .success(let payload): return .payload(payload)
        case .failure(let error): return .damaged(error.message)
        }
    }

    /// Deletes a batch file; one already gone is fine. Does not sync the
    /// directory: callers batch that, or do without (see `Spool.acknowledge`).
    func removeBatch(_ sequence: UInt64) throws {
        let target = batchPath(sequence)
        guard unlink(target) == 0 || errno == ENOENT else { throw SpoolError.system("cannot delete \(target)") }
    }

    /// Moves a batch file into the quarantine folder, out of the spool's sight
    /// but not destroyed. One already gone is fine.
    /// With `reasons`, a file beside it (`<batch>.refused`) says which of
    /// its records were refused and why.
    func quarantine(_ sequence: UInt64, reasons: [String] = []) throws {
        let folder = file(Self.quarantineName)
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST else { throw SpoolError.system("cannot create \(folder)") }
        let source = batchPath(sequence)
        let target = folder.appendingPath(BatchFile.name(for: sequence))
        if !reasons.isEmpty {
            try writeDurably([Array((reasons.joined(separator: "\n") + "\n").utf8)], to: target + ".refused")
        }
        guard rename(source, target) == 0 || errno == ENOENT else { throw SpoolError.system("cannot move \(source) to \(target)") }
        try sync()
    }

    // MARK: - State

    /// The persisted counters; nil when there is no state file yet, or when
    /// it cannot be decoded (logged: the caller rebuilds what it can).
    func readState(logger: Logger) throws -> SpoolState? {
        let statePath = file(Self.stateName)
        let bytes: [UInt8]
        do {
            bytes = try Self.readFile(statePath)
        } catch let error as SpoolError where error.code == ENOENT {
            return nil
        }
        do {
            return try JSONDecoder().decode(SpoolState.self, from: Data(bytes))
        } catch {
            logger.error("spool state file is unreadable; rebuilding it from the batch files",
                         metadata: ["file": "\(statePath)", "error": "\(error)"])
            return nil
        }
    }

    func writeState(_ state: SpoolState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(state)
        } catch {
            throw SpoolError("cannot encode spool state: \(error)")
        }
        try writeDurably([Array(data)], to: file(Self.stateName))
        try sync()
    }

    // MARK: - Plumbing

    /// Makes renames and deletions in the directory durable.
    func sync() throws {
        do { try DurableFile.sync(path) } catch { throw SpoolError(error) }
    }

    /// Replaces `target` durably (`DurableFile`); the directory sync is
    /// left to the caller, which often has more to rename first.
    private func writeDurably(_ chunks: [[UInt8]], to target: String) throws {
        do {
            try DurableFile.replace(chunks, to: target, temporarySuffix: Self.temporarySuffix, syncDirectory: false)
        } catch {
            throw SpoolError(error)
        }
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        do {
            return try WholeFile.bytes(at: path)
        } catch {
            throw SpoolError(error)
        }
    }
}
