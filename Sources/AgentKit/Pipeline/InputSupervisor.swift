import CollectorModel

/// Runs one input with its section of the live configuration and restarts
/// it when a reload changes that section; the other inputs and the uplink
/// go on undisturbed. An input that fails ends the agent, as it would
/// without a supervisor: systemd restarts it and the journal says why.
struct InputSupervisor<Input: AgentInput>: Sendable {
    let live: LiveAgentConfig
    let context: InputContext
    let sink: BatchBuilder

    func supervise() async throws {
        var current = live.value.inputs[Input.self]
        while !Task.isCancelled {
            let running = current
            let changed: Input.Config? = try await withThrowingTaskGroup(of: Input.Config?.self) { group in
                group.addTask {
                    if running.enabled { try await Input(config: running, context: context).run(sink: sink) }
                    // A disabled (or finished) input waits for a reload.
                    while true { try await Task.sleep(for: .seconds(3600)) }
                }
                group.addTask {
                    // A fresh subscription each round: cancelling a task
                    // that waits on an AsyncStream ends that stream.
                    for await config in live.updates() where config.inputs[Input.self] != running {
                        return config.inputs[Input.self]
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
