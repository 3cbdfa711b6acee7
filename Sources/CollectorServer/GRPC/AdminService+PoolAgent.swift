import CollectorModel
import GRPCCore

extension AdminService {
    /// How many known agents a refusal names; `collectorctl agents list` has the rest.
    static let agentsNamed = 10

    /// A pool given to an agent id that never registered is never swept,
    /// silently: refuse it, naming the agents that exist, unless the
    /// operator says the agent will register later.
    func requireRegisteredAgent(_ agentID: String, unless allowed: Bool) async throws {
        guard !allowed, try await storeCall({ try await store.agent(id: agentID) }) == nil else { return }
        let known = try await storeCall { try await store.agents(site: nil) }
        let names = known.prefix(Self.agentsNamed).map { "\($0.id) (\($0.hostname), site \($0.site))" }
        let more = known.count > Self.agentsNamed ? " and \(known.count - Self.agentsNamed) more" : ""
        let choices = known.isEmpty ? "no agent has registered yet" : "known agents: " + names.joined(separator: ", ") + more
        throw RPCError(code: .failedPrecondition, message: """
            agent_id: no agent '\(agentID)' has registered; \(choices). \
            Use an id from `collectorctl agents list`, or --allow-unregistered-agent for an agent that registers later
            """)
    }
}
