import CollectorModel
import CollectorStore
import Foundation
import Hummingbird

/// Every agent as `collectorctl agents list` shows it, with its recent host
/// stats as small charts.
struct AgentsPage<Context: ConsoleRequestContext>: Sendable {
    /// Samples per small chart: the most recent ones.
    static var samplesShown: Int { 60 }

    let backend: ConsoleBackend
    let renderer: PageRenderer

    func register(on group: RouterGroup<Context>) {
        group.get("agents") { _, context in try await show(context: context) }
    }

    func show(context: Context) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let records = try await backend.store.agents(site: nil)
        let presence = await backend.agentPresence()
        var agents: [[String: Any]] = []
        for record in records {
            let samples = try await backend.store.hostSamples(agentID: record.id, limit: Self.samplesShown).sorted { $0.time < $1.time }
            agents.append([
                "id": record.id, "site": record.site, "hostname": record.hostname, "version": record.agentVersion,
                "instance": templateValue(record.instanceUUID.map { $0.uuidString.lowercased() }),
                "lastSeen": TimeText.show(record.lastSeen), "connected": presence.connected.contains(record.id) ? "yes" : "no",
                "batches": String(record.highWaterMark), "dropped": String(record.droppedBatches),
                "spool": presence.spools[record.id].map(Self.spoolText) ?? "-",
                "charts": charts(record.id, samples),
            ])
        }
        let model: [String: Any] = ["agents": agents, "total": records.count, "connectedCount": records.filter { presence.connected.contains($0.id) }.count]
        return renderer.page("agents", title: "Agents", section: .agents, signedIn: signedIn, model: model, live: true)
    }

    /// `2 batches, 1.5 KiB`: what waits on the agent's disk, as its latest
    /// batch said.
    static func spoolText(_ spool: SpoolReport) -> String {
        "\(spool.batches) \(spool.batches == 1 ? "batch" : "batches"), \(ByteCount.text(spool.bytes))"
    }

    /// CPU busy, memory used and the one-minute load over the recent samples.
    func charts(_ agent: String, _ samples: [HostSample]) -> String {
        let series: [(String, String, String?, (HostSample) -> Double)] = [
            ("cpu", "CPU busy", "%", { 100 - $0.cpuIdlePercent }),
            ("memory", "Memory used", "%", { $0.memoryTotalBytes == 0 ? 0 : Double($0.memoryTotalBytes - min($0.memoryTotalBytes, $0.memoryAvailableBytes)) * 100 / Double($0.memoryTotalBytes) }),
            ("load", "Load (1 min)", nil, { $0.load1 }),
        ]
        return series.map { id, title, unit, value in
            let data = ChartData(id: "\(agent)-\(id)", title: title, unit: unit, keyHeading: "Time (UTC)", valueHeading: title,
                                 entries: samples.map { (String(TimeText.show($0.time).dropFirst(11).prefix(8)), (value($0) * 10).rounded() / 10) })
            return renderer.fragment("chart", ChartDrawing.line(data, xTitle: "", small: true))
        }.joined()
    }
}
