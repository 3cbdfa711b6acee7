import ArgumentParser
import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore

struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agents", abstract: "Agents and their hosts.",
                                                    subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List agents: site, host, instance, last seen, connected, spool, latest host stats.",
            discussion: "Example: collectorctl agents list --site lab-a --json")

        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only agents of this site.") var site: String?
        @OptionGroup var output: JSONFlag

        func run() async throws {
            var request = Collector_V1_ListAgentsRequest()
            request.site = site ?? ""
            let agents = try await connection.withClient { client, metadata in
                try await Collector_V1_Query.Client(wrapping: client).listAgents(request, metadata: metadata).agents
            }
            if output.json { return print(try Output.json(agents)) }
            var table = Table(["AGENT", "SITE", "HOST", "INSTANCE", "LAST SEEN", "CONNECTED", "BATCHES", "SPOOL", "CPU%", "MEM AVAIL", "LOAD1", "UPTIME",
                               "DISKS (USE% AS DF, AVAIL, TYPE)"],
                              rightAligned: [6, 7, 8, 9, 10, 11])
            for agent in agents {
                let stats = agent.hasLatestHostSample ? agent.latestHostSample : nil
                table.add([
                    agent.id, agent.site, agent.hostname, agent.instanceUuid.isEmpty ? "-" : agent.instanceUuid,
                    Output.time(agent.lastSeenUnixNano), agent.connected ? "yes" : "no", String(agent.highWaterMark),
                    agent.hasSpool ? "\(agent.spool.batches) (\(Output.bytes(agent.spool.bytes)))" : "-",
                    stats.map { String(printf: "%.1f", 100 - $0.cpuIdlePercent) } ?? "-",
                    stats.map { Output.bytes($0.memoryAvailableBytes) } ?? "-",
                    stats.map { String(printf: "%.2f", $0.load1) } ?? "-",
                    stats.map { String(printf: "%.0fh", $0.uptimeSeconds / 3600) } ?? "-",
                    stats.map { DiskColumn.text($0.disks) } ?? "-",
                ])
            }
            print(table.render())
        }
    }
}
