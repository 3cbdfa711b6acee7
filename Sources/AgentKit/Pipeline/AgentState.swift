import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ServiceSupport

/// What the agent remembers between runs, in its state directory: its id,
/// the uuid the collector gave its instance, and what it last told the
/// collector about that instance (to notice a config change).
public struct AgentState: Sendable {
    public let directory: String
    public let agentID: String
    /// The pools this agent sweeps, as the collector last said.
    public let pools: PoolAssignments

    public var spoolDirectory: String { path("spool") }

    /// Opens the state directory, creating it and the agent id on first run.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let idPath = directory.appendingPath("agent.id")
        if let stored = try? String(contentsOfFile: idPath, encoding: .utf8).trimmingWhitespace(),
           !stored.isEmpty {
            try AgentRegistration.validate(agentID: stored)
            agentID = stored
        } else {
            agentID = UUID().uuidString.lowercased()
            try DurableFile.replace([Array((agentID + "\n").utf8)], to: idPath)
        }
        pools = PoolAssignments(file: directory.appendingPath("pools.json"))
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
        try DurableFile.replace([Array(try encoder.encode(instance))], to: path("instance.json"))
    }

    private func path(_ name: String) -> String { directory.appendingPath(name) }
}
