import CollectorModel
import Foundation

/// What the agent remembers between runs, in its state directory: its id,
/// the uuid the collector gave its instance, and what it last told the
/// collector about that instance (to notice a config change).
public struct AgentState: Sendable {
    public let directory: String
    public let agentID: String

    public var spoolDirectory: String { path("spool") }

    /// Opens the state directory, creating it and the agent id on first run.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let idPath = (directory as NSString).appendingPathComponent("agent.id")
        if let stored = try? String(contentsOfFile: idPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           !stored.isEmpty {
            try AgentRegistration.validate(agentID: stored)
            agentID = stored
        } else {
            agentID = UUID().uuidString.lowercased()
            try DurableFile.write(Data((agentID + "\n").utf8), to: idPath)
        }
    }

    public struct RegisteredInstance: Codable, Sendable, Equatable {
        public var uuid: UUID
        /// What the collector was last told.
        public var info: InstanceInfo
    }

    public func registeredInstance() -> RegisteredInstance? {
        guard let data = FileManager.default.contents(atPath: path("instance.json")) else { return nil }
        return try? JSONDecoder().decode(RegisteredInstance.self, from: data)
    }

    public func saveRegisteredInstance(_ instance: RegisteredInstance) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try DurableFile.write(try encoder.encode(instance), to: path("instance.json"))
    }

    /// The pools this agent sweeps, as the collector last said.
    public func assignedPools() -> [Pool] {
        guard let data = FileManager.default.contents(atPath: path("pools.json")) else { return [] }
        return (try? JSONDecoder().decode([Pool].self, from: data)) ?? []
    }

    public func saveAssignedPools(_ pools: [Pool]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try DurableFile.write(try encoder.encode(pools), to: path("pools.json"))
    }

    private func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
}

/// Writes a file so that after a crash either the old or the new content is
/// there, never a torn mix: temp file, fsync, rename, fsync the directory.
enum DurableFile {
    static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ConfigError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { buffer in
            buffer.baseAddress.map { Glibc.write(fd, $0, buffer.count) } ?? 0
        }
        let synced = fsync(fd)
        close(fd)
        guard written == data.count, synced == 0 else {
            unlink(temporary)
            throw ConfigError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else { throw ConfigError("cannot replace \(path): \(String(cString: strerror(errno)))") }
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }
}
