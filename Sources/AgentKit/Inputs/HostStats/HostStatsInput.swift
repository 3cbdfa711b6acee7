import CollectorModel
import Foundation
import Logging

/// Samples the host every interval and hands the sample to the batch builder.
struct HostStatsInput: Sendable {
    let config: HostStatsConfig
    let builder: BatchBuilder
    let logger: Logger

    func run() async throws {
        var reader = HostStatsReader(mounts: config.mounts, excludeInterfaces: config.excludeInterfaces)
        // The first reading only primes the CPU counters.
        _ = try? reader.sample()
        while !Task.isCancelled {
            try await Task.sleep(for: config.interval.duration)
            do {
                try await builder.add(try reader.sample())
            } catch let error as HostStatsError {
                logger.warning("could not sample host stats", metadata: ["error": "\(error)"])
            }
        }
    }
}
