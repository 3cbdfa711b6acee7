import CollectorModel
import Logging

/// One input of the agent, as Telegraf's plug-ins are: a section under
/// `inputs:` (named `name`, decoded into `Config`), a sample of that
/// section, and a run that hands records to the sink. A new input is a
/// folder under `Inputs/` and one line in `AgentInputs.all`; the
/// configuration, the reload supervisor and the runtime iterate that list.
///
/// Starting is `run(sink:)`; stopping is cancelling the task that runs it
/// (a reload that changes the section, or the agent shutting down), so an
/// input cleans up on its way out of `run` rather than in a separate stop.
public protocol AgentInput: Sendable {
    associatedtype Config: InputConfig
    /// The key under `inputs:` (`host_stats`).
    static var name: String { get }
    /// The section as it goes under `inputs:`, every key with its default
    /// and a comment; printed by `collector-agent sample-config`.
    static var sampleConfig: String { get }

    init(config: Config, context: InputContext)
    func run(sink: BatchBuilder) async throws
}

/// An input's section of the configuration. Absent keys take the values
/// of `init()`; decoding names a wrong key and the choices.
public protocol InputConfig: Codable, Sendable, Equatable {
    init()
    var enabled: Bool { get }
}

/// What the agent shares with its inputs besides the sink.
public struct InputContext: Sendable {
    let state: AgentState
    /// The application instance beside the agent, from the configuration.
    let instance: InstanceInfo?
    /// The collector's ingest rules, for inputs that check records before spooling them.
    let rules: CollectorRules
    let metrics: AgentMetrics
    let logger: Logger
    /// An input that listens says where, once it does.
    let listening: @Sendable (Int) async -> Void
}

extension InputConfig {
    func isEqual(to other: any InputConfig) -> Bool { (other as? Self) == self }
}
