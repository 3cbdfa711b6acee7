import CollectorModel
import Foundation

/// Which agents have a push stream open right now (an agent may briefly
/// have two while it reconnects), and the spool each reported last.
public actor ConnectedAgents {
    private var streams: [String: Int] = [:]
    private var spools: [String: SpoolReport] = [:]

    public init() {}

    func connect(_ agentID: String) { streams[agentID, default: 0] += 1 }

    func disconnect(_ agentID: String) {
        guard let count = streams[agentID] else { return }
        streams[agentID] = count > 1 ? count - 1 : nil
    }

    func report(_ agentID: String, spool: SpoolReport) { spools[agentID] = spool }

    public var connectedCount: Int { streams.count }

    public var presence: AgentPresence { AgentPresence(connected: Set(streams.keys), spools: spools) }
}
