import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// Samples the host every interval and hands the sample to the sink.
public struct HostStatsInput: AgentInput {
    public static let name = "host_stats"
    public static let sampleConfig = """
        # The host_stats input: CPU, memory, swap, disks, load, uptime and network
        # counters from /proc and statvfs. This section goes under `inputs:` in
        # collector-agent.yaml; every key is optional and shown with its default.
        host_stats:
          enabled: true
          interval: 10s        # how often to sample; CPU % is the share since the previous sample (at least 100ms)
          mounts: [auto]       # statvfs of each mount: used, available (f_bavail, as df) and total bytes, type;
                               # auto: every mounted filesystem but pseudo ones (node_exporter's rules), or list them: [/, /srv]
                               # a mount that cannot be stat'ed is skipped
          exclude_interfaces: [lo]   # /proc/net/dev interfaces left out of the network counters
        """

    let config: HostStatsConfig
    let context: InputContext

    public init(config: HostStatsConfig, context: InputContext) {
        self.config = config
        self.context = context
    }

    public func run(sink: BatchBuilder) async throws {
        var reader = HostStatsReader(mounts: config.mounts, excludeInterfaces: config.excludeInterfaces)
        // The first reading only primes the CPU counters.
        _ = try? reader.sample()
        while !Task.isCancelled {
            try await Task.sleep(for: config.interval.duration)
            do {
                try await sink.add(try reader.sample())
            } catch let error as HostStatsError {
                context.logger.warning("could not sample host stats", metadata: ["error": "\(error)"])
            }
        }
    }
}
