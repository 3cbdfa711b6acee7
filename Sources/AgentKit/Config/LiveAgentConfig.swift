import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The configuration a running agent uses now, and a way to hear about
/// reloads: each input's supervisor watches its own section.
public final class LiveAgentConfig: Sendable {
    private struct State {
        var config: AgentConfig
        var watchers: [UUID: AsyncStream<AgentConfig>.Continuation] = [:]
    }

    private let state: Mutex<State>

    public init(_ config: AgentConfig) {
        state = Mutex(State(config: config))
    }

    public var value: AgentConfig { state.withLock { $0.config } }

    func set(_ config: AgentConfig) {
        let watchers = state.withLock { state in
            state.config = config
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.yield(config) }
    }

    /// The current configuration, then each one a reload sets, until the
    /// consuming task is cancelled.
    func updates() -> AsyncStream<AgentConfig> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<AgentConfig>.makeStream(bufferingPolicy: .bufferingNewest(1))
        state.withLock { state in
            state.watchers[id] = continuation
            continuation.yield(state.config)
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.watchers.removeValue(forKey: id) }
        }
        return stream
    }
}

extension AgentConfig {
    /// Environment variables that override the file:
    /// `COLLECTOR_AGENT_COLLECTOR__TOKEN`, `COLLECTOR_AGENT_INPUTS__PING__ENABLED`.
    public static let environmentPrefix = "COLLECTOR_AGENT_"

    /// The file (or the defaults, without one) with this process's
    /// environment overrides applied.
    public static func load(from path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AgentConfig {
        try ConfigFile.loadOrDefaults(AgentConfig.self, from: path, environment: ConfigEnvironment(environment, prefix: environmentPrefix))
    }

    /// This configuration with what a running agent can change taken from
    /// `new`: the log level and the inputs. The collector link, the spool
    /// and the state directory keep their values until a restart.
    func takingReloadable(from new: AgentConfig) -> AgentConfig {
        var result = self
        result.logLevel = new.logLevel
        result.inputs = new.inputs
        return result
    }
}
