/// Which agents have a push stream open right now (an agent may briefly
/// have two while it reconnects).
public actor ConnectedAgents {
    private var streams: [String: Int] = [:]

    public init() {}

    func connect(_ agentID: String) { streams[agentID, default: 0] += 1 }

    func disconnect(_ agentID: String) {
        guard let count = streams[agentID] else { return }
        streams[agentID] = count > 1 ? count - 1 : nil
    }

    public func isConnected(_ agentID: String) -> Bool { streams[agentID] != nil }

    public var connectedIDs: Set<String> { Set(streams.keys) }
}
