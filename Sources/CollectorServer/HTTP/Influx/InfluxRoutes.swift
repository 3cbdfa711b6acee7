import CollectorModel
import CollectorStore
import Foundation
import HTTPTypes
import Hummingbird
import InfluxQL
import LegacyHTTP

/// InfluxDB 1.x's HTTP API (`/ping`, `/write`, `/query`) over Collector's
/// series, so Grafana's InfluxDB data source, the `influxdb` Python client,
/// curl scripts and Telegraf's `outputs.influxdb` work unchanged: a
/// database is a namespace, a measurement's field of one tag set a series
/// named `measurement.field` with the tags as its labels.
struct InfluxRoutes: Sendable {
    let store: any Store
    let committer: GroupCommitter
    let auth: InfluxAuthentication
    let rules: LegacyEventBody.Rules
    /// InfluxDB's own default `max-body-size`.
    static let maxBodyBytes = 25 << 20
    static let version = "1.6.7~collector-\(CollectorVersion.string)"

    func register(on router: Router<CollectorRequestContext>) {
        router.post("/write") { request, _ in try await write(request) }
        router.get("/query") { request, _ in try await query(request) }
        router.post("/query") { request, _ in try await query(request) }
    }

    static var versionHeaders: HTTPFields {
        [HTTPField.Name("X-Influxdb-Version")!: version, HTTPField.Name("X-Influxdb-Build")!: "OSS"]
    }

    /// InfluxDB's answer to `/ping`: 204 and its version headers.
    static func pong() -> Response {
        Response(status: .noContent, headers: versionHeaders)
    }

    // MARK: POST /write

    func write(_ request: Request) async throws -> Response {
        let principal: Principal
        switch try await auth.authenticate(request, requiring: [.ingest], action: "write") {
        case .allowed(let allowed): principal = allowed
        case .refused(let answer): return answer
        }
        guard principal.site != nil else {
            return InfluxAuthentication.error(.forbidden, "token '\(principal.tokenName)' is not bound to a site: writes need an ingest token with --site")
        }
        let parameters = FormParameters.parse(request.uri.query ?? "")
        guard let database = parameters["db"], !database.isEmpty else {
            return InfluxAuthentication.error(.badRequest, "database is required")
        }
        let precision = Precision(parameter: parameters["precision"])
        var request = request
        var body = Array(buffer: try await request.collectBody(upTo: Self.maxBodyBytes))
        if request.headers[.contentEncoding]?.lowercased() == "gzip" {
            do {
                body = try Gunzip.inflate(body, limit: Self.maxBodyBytes)
            } catch {
                return InfluxAuthentication.error(.badRequest, "\(error)")
            }
        }
        let now = Date()
        let (parsed, parseErrors) = LineProtocol.parse(body, precision: precision, now: now.clampedNanos)
        let types = try await StoreInfluxSource(store: store).fieldTypes(database: database)
        let checked = WriteValidation.validate(parsed) { measurement, field in types[measurement]?[field] }
        let batch = MeasurementWrite(database: database, points: checked.accepted, rules: rules.ingest.fixedClock())
        // One submission, so one transaction: a request's strings and
        // numbers are stored together before the 204, or not at all.
        let writes: [IngestWrite] = (batch.points.isEmpty ? [] : [.points(batch.points)])
            + (batch.strings.isEmpty ? [] : [.strings(batch.strings)])
        if !writes.isEmpty {
            _ = try await committer.commit(writes)
        }
        if parsed.isEmpty && !parseErrors.isEmpty {
            return InfluxAuthentication.error(.badRequest, LineProtocol.errorMessage(parseErrors))
        }
        if !parseErrors.isEmpty {
            return InfluxAuthentication.error(.badRequest, LineProtocol.partialWriteMessage(LineProtocol.errorMessage(parseErrors), dropped: 0))
        }
        if let reason = checked.reason ?? batch.refusal {
            return InfluxAuthentication.error(.badRequest, LineProtocol.partialWriteMessage(reason, dropped: checked.dropped + batch.dropped))
        }
        return Response(status: .noContent, headers: Self.versionHeaders)
    }
}

extension InfluxRoutes {
    // MARK: GET|POST /query

    /// `q` from the query string or a form body (the Python client and
    /// Grafana POST it), run against the store; InfluxDB's JSON, or its
    /// chunked form when `chunked=true`.
    func query(_ request: Request) async throws -> Response {
        switch try await auth.authenticate(request, requiring: [.read, .aggregate], action: "query") {
        case .allowed: break
        case .refused(let answer): return answer
        }
        var parameters = FormParameters.parse(request.uri.query ?? "")
        if request.method == .post {
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            parameters.merge(FormParameters.parse(String(buffer: body))) { query, _ in query }
        }
        let executor = Executor(source: StoreInfluxSource(store: store))
        let answer = await executor.run(parameters["q"] ?? "", database: parameters["db"] ?? "", now: Date().clampedNanos)
        switch answer {
        case .parseError(let message):
            return .json(.badRequest, ResponseWriter.error(message), headers: Self.versionHeaders)
        case .results(let results):
            let epoch = parameters["epoch"]
            if parameters["chunked"] == "true" {
                let body = ResponseWriter.chunks(results, epoch: epoch).joined(separator: "\n") + "\n"
                return .json(.ok, body, headers: Self.versionHeaders)
            }
            return .json(.ok, ResponseWriter.json(results, epoch: epoch), headers: Self.versionHeaders)
        }
    }
}

/// Parsed lines as series points (and string points for string fields),
/// checked by the rules every door uses. What a point cannot be stored as
/// (a time no level keeps, a string longer than the rules allow) is dropped
/// and named, and the rest is stored, as InfluxDB answers a partial write.
struct MeasurementWrite {
    var points: [SeriesPoint] = []
    var strings: [StringPoint] = []
    var dropped = 0
    var refusal: String?

    init(database: String, points parsed: [InfluxPoint], rules: IngestRules) {
        points.reserveCapacity(parsed.count)
        for point in parsed {
            for (field, value) in point.fields.sorted(by: { $0.key < $1.key }) {
                let number: Double
                let type: SeriesLabels.FieldType
                switch value {
                case .float(let v): (number, type) = (v, .float)
                case .integer(let v): (number, type) = (Double(v), .integer)
                case .unsigned(let v): (number, type) = (Double(v), .unsigned)
                case .boolean(let v): (number, type) = (v ? 1 : 0, .boolean)
                case .string(let text):
                    let labels = SeriesLabels(measurement: point.measurement, field: field, tags: point.tags, type: .string)
                    let string = StringPoint(namespace: database, labels: labels, nanos: point.time, value: text)
                    do {
                        try rules.check(string, field: point.measurement)
                        strings.append(string)
                    } catch {
                        drop(Self.reason(error, field: field, of: point.measurement, text: text, rules: rules))
                    }
                    continue
                }
                let labels = SeriesLabels(measurement: point.measurement, field: field, tags: point.tags, type: type)
                let series = SeriesPoint(namespace: database, name: labels.name, nanos: point.time, value: number, labels: labels)
                do {
                    try rules.check(series, field: point.measurement)
                    points.append(series)
                } catch {
                    drop(Self.reason(error, field: field, of: point.measurement, text: nil, rules: rules))
                }
            }
        }
    }

    /// InfluxDB's words where it has some: for a time its retention does
    /// not keep, and (InfluxDB 2's, 1.x has none) for a string too long.
    private static func reason(_ error: ValidationError, field: String, of measurement: String, text: String?,
                               rules: IngestRules) -> String {
        if error.field.hasSuffix(".time") { return "points beyond retention policy" }
        if let text, error.field.hasSuffix(".value") {
            return "input field \"\(field)\" on measurement \"\(measurement)\" is too long, \(text.utf8.count) > \(rules.maxStringBytes)"
        }
        return error.description
    }

    private mutating func drop(_ reason: String) {
        dropped += 1
        if refusal == nil { refusal = reason }
    }
}
