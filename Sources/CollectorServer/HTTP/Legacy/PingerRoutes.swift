import CollectorModel
import CollectorStore
import Foundation
import Hummingbird
import LegacyHTTP

/// The lab pinger's read-only API (seed 004) under `/pingerservice/api/`:
/// pools, hourly and online charts, and the CSV export. The `read` scope
/// as Bearer or Token, unless `pools.anonymous_read` allows anyone.
struct PingerRoutes: Sendable {
    let store: any Store
    let auth: HTTPAuthentication
    let reporting: PoolReporting
    let anonymousRead: Bool

    func register(on router: Router<CollectorRequestContext>) {
        let api = router.group("/pingerservice/api")
        api.get("pools") { request, _ in try await authorized(request) { try await pools() } }
        api.get("chart/pool/:id") { request, context in
            try await authorized(request) { try await hourly(context.parameters.get("id"), date: nil) }
        }
        api.get("chart/pool/:id/:year/:month/:day") { request, context in
            let date = ["year", "month", "day"].compactMap { context.parameters.get($0) }
            return try await authorized(request) { try await hourly(context.parameters.get("id"), date: date) }
        }
        api.get("chart/poolonline/:id") { request, context in
            try await authorized(request) { try await online(context.parameters.get("id")) }
        }
        api.get("csv/pool") { request, _ in try await authorized(request) { try await csv(request) } }
    }

    private func authorized(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        if !anonymousRead, case .failure(let failure) = try await auth.authenticate(request, requiring: .read) {
            var status = HTTPResponse.Status.unauthorized
            if case .missingScope = failure { status = .forbidden }
            return .json(status, JSONText.object([("error", JSONText.string(failure.description))]))
        }
        do {
            return try await body()
        } catch let error as ValidationError {
            return .json(.badRequest, JSONText.object([("error", JSONText.string(error.description))]))
        }
    }

    func pools() async throws -> Response {
        let pools = try await store.pools()
        let items = pools.map { JSONText.object([("room_no", JSONText.string($0.room)), ("pk", String($0.id))]) }
        return .json(.ok, JSONText.object([("pools", "[" + items.joined(separator: ", ") + "]")]))
    }

    private func pool(_ id: String?) async throws -> Pool? {
        guard let id = id.flatMap(Int64.init) else { return nil }
        return try await store.pools().first { $0.id == id }
    }

    /// PCs of the pool on at each full hour of the day (UTC, as the seed did).
    func hourly(_ id: String?, date: [String]?) async throws -> Response {
        guard let pool = try await pool(id) else { return .json(.notFound, JSONText.object([("error", JSONText.string("no such pool"))])) }
        let label: String
        if let date {
            guard date.count == 3, let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]) else {
                throw ValidationError(field: "date", "'\(date.joined(separator: "/"))' is not YYYY/M/D")
            }
            label = String(format: "%04d-%02d-%02d", year, month, day)
        } else {
            label = String(LegacyTime.iso8601Seconds(Date()).prefix(10))
        }
        let points = try await reporting.hourly(pool, day: label).enumerated().map { hour, on in
            JSONText.object([("x", String(hour)), ("y", String(on))])
        }
        let labels = (0..<24).map { JSONText.string("\($0):00") }
        return .json(.ok, JSONText.object([
            ("room_no", JSONText.string(pool.room)), ("labels", "[" + labels.joined(separator: ", ") + "]"),
            ("poolData", "[" + points.joined(separator: ", ") + "]"),
        ]))
    }

    func online(_ id: String?) async throws -> Response {
        guard let pool = try await pool(id) else { return .json(.notFound, JSONText.object([("error", JSONText.string("no such pool"))])) }
        let online = try await store.computerStatus(poolID: pool.id).filter(\.up).count
        return .json(.ok, JSONText.object([("room_no", JSONText.string(pool.room)), ("online", String(online)),
                                           ("offline", String(pool.computers.count - online))]))
    }

    func csv(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let today = String(LegacyTime.iso8601Seconds(Date()).prefix(10))
        let start = query.get("start_date").map { String($0) } ?? today
        let end = query.get("end_date").map { String($0) } ?? today
        guard let dialect = PoolCSV.Dialect(rawValue: query.get("output_format").map { String($0) } ?? "unix") else {
            throw ValidationError(field: "output_format", "must be unix or excel")
        }
        var ids: [Int64] = []
        for text in query.getAll("pool_ids") {
            guard let id = Int64(text) else { throw ValidationError(field: "pool_ids", "'\(text)' is not a pool id") }
            ids.append(id)
        }
        let body = try await reporting.csv(start: start, end: end, poolIDs: ids, dialect: dialect)
        return Response(status: .ok, headers: [.contentType: "text/csv", .contentDisposition: "attachment; filename=\"pinger_export.csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
