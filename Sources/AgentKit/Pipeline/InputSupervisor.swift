import CollectorModel

/// Runs one input with its section of the live configuration and restarts
/// it when a reload changes that section; the other inputs and the uplink
/// go on undisturbed. An input that fails ends the agent, as it would
/// without a supervisor: systemd restarts it and the journal says why.
struct InputSupervisor<Section: Equatable & Sendable>: Sendable {
    let live: LiveAgentConfig
    let section: @Sendable (AgentConfig) -> Section
    let isEnabled: @Sendable (Section) -> Bool
    let run: @Sendable (Section) async throws -> Void

    func supervise() async throws {
        var current = section(live.value)
        while !Task.isCancelled {
            let running = current
            let changed: Section? = try await withThrowingTaskGroup(of: Section?.self) { group in
                group.addTask {
                    if isEnabled(running) { try await run(running) }
                    // A disabled (or finished) input waits for a reload.
                    while true { try await Task.sleep(for: .seconds(3600)) }
                }
                group.addTask {
                    // A fresh subscription each round: cancelling a task
                    // that waits on an AsyncStream ends that stream.
                    for await config in live.updates() where section(config) != running {
                        return section(config)
                    }
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            guard let changed else { return }
            current = changed
        }
    }
}
