import AgentKit
import ArgumentParser
import CollectorModel
import Foundation

/// One sweep with the agent's sweeper, as `bench/sweep` times it beside fping.
struct Sweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sweep an inclusive address range once; print alive and dead counts.")

    @Option(help: "First address.") var from: String
    @Option(help: "Last address (inclusive).") var to: String
    @Option(help: "Timeout per reply in milliseconds.") var timeout = 500
    @Option(help: "Further attempts for silent hosts.") var retries = 1
    @Option(help: "Gap between sends in milliseconds.") var pace = 10
    @Option(help: "auto, raw or datagram.") var socket = "auto"

    func run() async throws {
        let addresses = try ComputerAddresses.expand(["\(from)-\(to)"], maxRange: 65536)
        guard let kind = ICMPSocket.Kind(rawValue: socket) else { throw ValidationError("--socket: auto, raw or datagram") }
        let sweeper = Sweeper(settings: SweepSettings(timeout: .milliseconds(timeout), retries: retries, pace: .milliseconds(pace), socket: kind))
        let before = ProcessCPU.now()
        let results = try await sweeper.sweep(addresses)
        let sweepCPU = ProcessCPU.now() - before
        let alive = results.values.filter(\.up).count
        print("alive \(alive) dead \(results.count - alive) sweep_cpu_s \(String(format: "%.3f", sweepCPU))")
        for address in addresses { print(address, results[address]?.up == true ? "up" : "down") }
    }
}
