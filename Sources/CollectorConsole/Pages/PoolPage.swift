import CollectorModel
import CollectorStore
import Foundation
import Hummingbird

/// One pool: its computers now (`collectorctl pools status`), today's PCs
/// on per hour (the legacy chart API's numbers), runtime and energy per
/// day over a range (`collectorctl pools report`), the export form and,
/// for admins, the forms that change it.
struct PoolPage<Context: ConsoleRequestContext>: Sendable {
    let backend: ConsoleBackend
    let renderer: PageRenderer

    func register(on group: RouterGroup<Context>) {
        group.get("pools/:name") { request, context in try await show(request, context: context) }
    }

    func show(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let pool = try await Self.pool(context.parameters.get("name"), store: backend.store)
        let status = try await backend.store.computerStatus(poolID: pool.id)
        let today = TimeText.day(Date())
        let hourly = try await backend.reporting.hourly(pool, day: today)
        let from = request.parameter("from").isEmpty ? TimeText.day(Date().addingTimeInterval(-6 * 86400)) : request.parameter("from")
        let through = request.parameter("through").isEmpty ? today : request.parameter("through")
        let report = try await backend.reporting.report(from: from, to: through, poolNames: [pool.name])
        let days = report.pools.first?.days ?? []
        let hourlyData = ChartData(id: "hourly", title: "PCs on per hour, \(today) (UTC)", unit: nil, keyHeading: "Hour", valueHeading: "PCs on",
                                   entries: hourly.enumerated().map { ("\($0.offset):00", Double($0.element)) })
        let runtime = ChartData(id: "runtime", title: "Runtime per day", unit: "h", keyHeading: "Day", valueHeading: "Runtime",
                                entries: days.map { ($0.date, $0.runtimeHours) })
        let energy = ChartData(id: "energy", title: "Energy per day", unit: "kWh", keyHeading: "Day", valueHeading: "Energy",
                               entries: days.map { ($0.date, $0.energyKWh) })
        let pools = try await backend.store.pools()
        let model: [String: Any] = [
            "name": pool.name, "room": pool.room, "agent": pool.agentID, "on": status.filter(\.up).count, "total": pool.computers.count,
            "computers": status.map { computer in
                ["address": computer.address, "up": computer.up, "upText": computer.up ? "on" : "off",
                 "lastSweep": TimeText.show(computer.lastSweep),
                 "rtt": computer.up ? String(format: "%.1f ms", computer.lastRTTMilliseconds) : "-"] as [String: Any]
            },
            "hourly": renderer.fragment("chart", ChartDrawing.bar(hourlyData, xTitle: "Hour (UTC)")),
            "from": from, "through": through,
            "runtime": renderer.fragment("chart", ChartDrawing.bar(runtime, xTitle: "Day")),
            "energy": renderer.fragment("chart", ChartDrawing.bar(energy, xTitle: "Day")),
            "days": days.map { day in
                // As `collectorctl pools report` prints them.
                ["date": day.date, "runtime": String(format: "%.2f", day.runtimeHours), "average": String(format: "%.2f", day.averageHours),
                 "energy": String(format: "%.3f", day.energyKWh), "used": "\(day.used) of \(day.computers)",
                 "unknown": String(format: "%.2f", day.unknownHours)]
            },
            "exportForm": renderer.fragment("export-form", PoolsPage<Context>.exportForm(pools, checked: pool.id, reporting: backend.reporting)),
            "admin": signedIn.isAdmin ? [
                "csrf": signedIn.session.csrfToken, "name": pool.name, "room": pool.room, "watts": NumberText.format(pool.watts),
                "standbyWatts": pool.standbyWatts.map(NumberText.format) ?? "", "agent": pool.agentID,
            ] as [String: Any] : false,
        ]
        return renderer.page("pool", title: "Pool \(pool.name)", section: .pools, signedIn: signedIn, model: model,
                             notice: PoolActions<Context>.notice(request.parameter("done")), live: true)
    }

    static func pool(_ name: String?, store: any Store) async throws -> Pool {
        guard let name = name?.removingPercentEncoding ?? name, let pool = try await store.pool(name: name) else {
            throw ConsoleRefusal(.notFound, "No such pool.")
        }
        return pool
    }
}
