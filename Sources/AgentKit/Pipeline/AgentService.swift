import ServiceLifecycle

/// The agent as a lifecycle service: a graceful shutdown cancels the
/// pipeline, which flushes pending records to the spool on its way out.
public struct AgentService: Service {
    let runtime: AgentRuntime

    public init(runtime: AgentRuntime) {
        self.runtime = runtime
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await runtime.run()
        }
    }
}
