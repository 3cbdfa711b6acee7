import CollectorModel
import CollectorStore
import Foundation
import Hummingbird

/// Every pool with its PCs on now (as the legacy online chart counts them)
/// and in all, the CSV export form and, for admins, a new pool.
struct PoolsPage<Context: ConsoleRequestContext>: Sendable {
    let backend: ConsoleBackend
    let renderer: PageRenderer

    func register(on group: RouterGroup<Context>) {
        group.get("pools") { request, context in try await show(request, context: context) }
        group.get("pools/export.csv") { request, context in try await export(request, context: context) }
    }

    func show(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try context.requireSignedIn()
        let pools = try await backend.store.pools()
        let up = try await backend.store.computersUp()
        let rows = pools.map { pool in
            ["name": pool.name, "room": pool.room, "agent": pool.agentID, "on": String(up[pool.id] ?? 0), "total": String(pool.computers.count)]
        }
        let model: [String: Any] = [
            "pools": rows,
            "exportForm": renderer.fragment("export-form", Self.exportForm(pools, checked: nil, reporting: backend.reporting)),
            "admin": signedIn.isAdmin ? ["csrf": signedIn.session.csrfToken] : false,
        ]
        return renderer.page("pools", title: "Pools", section: .pools, signedIn: signedIn, model: model,
                             notice: PoolActions<Context>.notice(request.parameter("done")), live: true)
    }

    /// The seed's CSV (`/pingerservice/api/csv/pool/`'s parameters), from
    /// the same reporting.
    func export(_ request: Request, context: Context) async throws -> Response {
        _ = try context.requireSignedIn()
        let today = TimeText.day(Date())
        let start = request.parameter("start_date").isEmpty ? today : request.parameter("start_date")
        let end = request.parameter("end_date").isEmpty ? today : request.parameter("end_date")
        guard let dialect = PoolCSV.Dialect(rawValue: request.parameter("output_format").isEmpty ? "unix" : request.parameter("output_format")) else {
            throw ValidationError(field: "output_format", "must be unix or excel")
        }
        var ids: [Int64] = []
        for text in request.parameters("pool_ids") {
            guard let id = Int64(text) else { throw ValidationError(field: "pool_ids", "'\(text)' is not a pool id") }
            ids.append(id)
        }
        let body = try await backend.reporting.csv(start: start, end: end, poolIDs: ids, dialect: dialect)
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"pinger_export.csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func exportForm(_ pools: [Pool], checked: Int64?, reporting: PoolReporting) -> [String: Any] {
        let today = Date()
        return ["pools": pools.map { ["id": String($0.id), "name": $0.name, "checked": $0.id == checked] as [String: Any] },
                "from": TimeText.day(today.addingTimeInterval(-6 * 86400)), "through": TimeText.day(today)]
    }
}
