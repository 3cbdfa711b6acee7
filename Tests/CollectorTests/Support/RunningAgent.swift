@testable import AgentKit
import CollectorModel
import Foundation
import Logging

/// The real AgentKit pipeline (spool, batch builder, uplink, inputs) in this
/// process, against a `RunningCollector`.
final class RunningAgent: Sendable {
    let runtime: AgentRuntime
    private let task: Task<Void, any Error>

    var status: UplinkStatus { runtime.uplink.status }

    static func config(stateDir: String, collector: RunningCollector, token: String) -> AgentConfig {
        var config = AgentConfig()
        config.stateDir = stateDir
        config.collector.address = collector.grpcTarget.description
        config.collector.ca = collector.caPath
        config.collector.token = token
        config.uplink.flushInterval = ConfigDurationValue(.milliseconds(100))
        config.uplink.backoffInitial = ConfigDurationValue(.milliseconds(50))
        config.uplink.backoffMax = ConfigDurationValue(.milliseconds(500))
        config.inputs[HostStatsInput.self].enabled = false
        config.inputs[EventsInput.self].listen = "127.0.0.1:0"
        config.metrics.listen = "127.0.0.1:0"
        return config
    }

    init(config: AgentConfig, reloadConfig: (@Sendable () throws -> AgentConfig)? = nil) async throws {
        var logger = Logger(label: "test-agent")
        logger.logLevel = .error
        var runtime = try await AgentRuntime(config: config, logger: logger)
        runtime.reloadConfig = reloadConfig
        self.runtime = runtime
        task = Task { try await runtime.run() }
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
