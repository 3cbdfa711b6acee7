import Foundation

/// Runs parsed InfluxQL against an `InfluxSource` with InfluxDB 1.6's
/// semantics, statement by statement, and answers in its result shapes.
///
///     let executor = Executor(source: store)
///     let results = await executor.execute(query, database: "telegraf", now: nowNanoseconds)
///     body = ResponseWriter.json(results, epoch: epochParameter)
///
/// `now` is injected so that `now()` and the default upper bound of a
/// GROUP BY time query are reproducible in tests.
public struct Executor: Sendable {
    public let source: any InfluxSource
    /// InfluxDB's `max-select-buckets`: 0 is unlimited (InfluxDB's default).
    public var maxSelectBuckets: Int
    /// Refuses a query that would produce more rows than this (0: unlimited),
    /// so that `GROUP BY time(1s)` over years cannot exhaust memory.
    public var maxRows: Int

    public init(source: any InfluxSource, maxSelectBuckets: Int = 0, maxRows: Int = 10_000_000) {
        self.source = source
        self.maxSelectBuckets = maxSelectBuckets
        self.maxRows = maxRows
    }

    /// What `/query` answers for `q`: the parse error (a 400) or the results.
    public enum Answer: Sendable {
        case parseError(String)
        case results([StatementResult])
    }

    /// Parses and runs `text`. A parse error answers the whole request, as
    /// InfluxDB does (`error parsing query: ...`); an empty `q` is InfluxDB's
    /// `missing required parameter "q"`.
    public func run(_ text: String, database: String, now: Int64) async -> Answer {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .parseError("missing required parameter \"q\"") }
        do {
            let query = try Parser.parseQuery(trimmed)
            return .results(await execute(query, database: database, now: now))
        } catch {
            return .parseError("error parsing query: \(error.description)")
        }
    }

    /// Runs each statement in order. Like InfluxDB 1.6, the first failing
    /// statement stops the query; if statements follow it, it is reported
    /// as `not executed` and the rest are dropped (InfluxDB's quirk).
    public func execute(_ query: Query, database: String, now: Int64) async -> [StatementResult] {
        var results: [StatementResult] = []
        for (index, statement) in query.statements.enumerated() {
            do {
                var result = StatementResult(statementID: index)
                result.series = try await execute(statement, database: database, now: now)
                results.append(result)
            } catch {
                let message = index < query.statements.count - 1 ? "not executed" : "\(error)"
                results.append(StatementResult(statementID: index, error: message))
                break
            }
        }
        return results
    }

    func execute(_ statement: Statement, database: String, now: Int64) async throws -> [ResultSeries] {
        switch statement {
        case .select(let select):
            return try await SelectExecution(executor: self, statement: select, database: database, now: now).run()
        case .showDatabases:
            let names = try await source.databases()
            return [ResultSeries(name: "databases", tags: nil, columns: ["name"], values: names.map { [.string($0)] })]
        case .showMeasurements(let show):
            return try await showMeasurements(show, database: database)
        case .showFieldKeys(let show):
            return try await showFieldKeys(show, database: database)
        case .showTagKeys(let show):
            return try await showTagKeys(show, database: database)
        case .showTagValues(let show):
            return try await showTagValues(show, database: database)
        case .showSeries(let show):
            return try await showSeries(show, database: database)
        case .showRetentionPolicies(let on):
            let db = on.isEmpty ? database : on
            if db.isEmpty { throw QueryError("database name required") }
            try await requireDatabase(db)
            return [ResultSeries(name: nil, tags: nil, columns: ["name", "duration", "shardGroupDuration", "replicaN", "default"],
                                 values: [[.string("autogen"), .string("0s"), .string("168h0m0s"), .integer(1), .boolean(true)]])]
        case .createDatabase(let name):
            try await source.createDatabase(name)
            return []
        case .unsupported(let name):
            throw QueryError("\(name) is not supported by Collector")
        }
    }

    func requireDatabase(_ name: String) async throws {
        if try await !source.databases().contains(name) { throw QueryError("database not found: \(name)") }
    }

    // MARK: SHOW

    /// The measurements of `sources` (all when empty), in byte order.
    func measurements(_ sources: [Measurement], database: String) async throws -> [String] {
        let all = try await source.measurements(database: database).sorted(by: byteLess)
        if sources.isEmpty { return all }
        var chosen = Set<String>()
        for m in sources {
            if let regex = m.regex {
                for name in all where regex.matches(name) { chosen.insert(name) }
            } else if all.contains(m.name) {
                chosen.insert(m.name)
            }
        }
        return all.filter { chosen.contains($0) }
    }

    /// The series of a measurement whose tags satisfy a tag condition.
    func series(_ measurement: String, database: String, condition: Expr?) async throws -> [InfluxSeries] {
        let all = try await source.series(database: database, measurement: measurement)
        guard let condition else { return all }
        return all.filter { series in
            Evaluation.isTrue(condition) { name, _ in
                if name == "_name" { return .string(measurement) }
                return .string(series.tags[name] ?? "")
            }
        }
    }

    func resolveDatabase(_ on: String, _ database: String) throws -> String {
        let db = on.isEmpty ? database : on
        if db.isEmpty { throw QueryError("database name required") }
        return db
    }

    func showMeasurements(_ show: ShowMeasurements, database: String) async throws -> [ResultSeries] {
        let db = try resolveDatabase(show.database, database)
        guard try await source.databases().contains(db) else { return [] }
        var names = try await measurements(show.source.map { [$0] } ?? [], database: db)
        if let condition = try Condition.split(show.condition, .init(now: 0, zone: nil)).0 {
            var kept: [String] = []
            for name in names where !(try await series(name, database: db, condition: condition)).isEmpty { kept.append(name) }
            names = kept
        }
        names = window(names, limit: show.limit, offset: show.offset)
        if names.isEmpty { return [] }
        return [ResultSeries(name: "measurements", tags: nil, columns: ["name"], values: names.map { [.string($0)] })]
    }

    func showFieldKeys(_ show: ShowKeys, database: String) async throws -> [ResultSeries] {
        let db = try resolveDatabase(show.database, database)
        try await requireDatabase(db)
        var result: [ResultSeries] = []
        for name in try await measurements(show.sources, database: db) {
            var types: [String: InfluxFieldType] = [:]
            for series in try await source.series(database: db, measurement: name) where types[series.field] == nil {
                types[series.field] = series.type
            }
            let keys = window(types.keys.sorted(by: byteLess), limit: show.limit, offset: show.offset)
            if keys.isEmpty { continue }
            result.append(ResultSeries(name: name, tags: nil, columns: ["fieldKey", "fieldType"],
                                       values: keys.map { [.string($0), .string(types[$0]?.rawValue ?? "float")] }))
        }
        return result
    }

    func showTagKeys(_ show: ShowKeys, database: String) async throws -> [ResultSeries] {
        let db = try resolveDatabase(show.database, database)
        try await requireDatabase(db)
        let condition = try Condition.split(show.condition, .init(now: 0, zone: nil)).0
        var result: [ResultSeries] = []
        let names = window(try await measurements(show.sources, database: db), limit: show.seriesLimit, offset: show.seriesOffset)
        for name in names {
            var keys = Set<String>()
            for series in try await self.series(name, database: db, condition: condition) { keys.formUnion(series.tags.keys) }
            let sorted = window(keys.sorted(by: byteLess), limit: show.limit, offset: show.offset)
            if sorted.isEmpty { continue }
            result.append(ResultSeries(name: name, tags: nil, columns: ["tagKey"], values: sorted.map { [.string($0)] }))
        }
        return result
    }

    func showTagValues(_ show: ShowTagValues, database: String) async throws -> [ResultSeries] {
        let db = try resolveDatabase(show.database, database)
        try await requireDatabase(db)
        let condition = try Condition.split(show.condition, .init(now: 0, zone: nil)).0
        var result: [ResultSeries] = []
        for name in try await measurements(show.sources, database: db) {
            var pairs = Set<[String]>()
            for series in try await self.series(name, database: db, condition: condition) {
                for (key, value) in series.tags where keyMatches(key, show) { pairs.insert([key, value]) }
            }
            let sorted = window(pairs.sorted { a, b in
                a[0] != b[0] ? byteLess(a[0], b[0]) : byteLess(a[1], b[1])
            }, limit: show.limit, offset: show.offset)
            if sorted.isEmpty { continue }
            result.append(ResultSeries(name: name, tags: nil, columns: ["key", "value"],
                                       values: sorted.map { [.string($0[0]), .string($0[1])] }))
        }
        return result
    }

    private func keyMatches(_ key: String, _ show: ShowTagValues) -> Bool {
        switch show.op {
        case .eq, .in: show.keys.contains(key)
        case .neq: !show.keys.contains(key)
        case .eqRegex: show.keyRegex?.matches(key) ?? false
        case .neqRegex: !(show.keyRegex?.matches(key) ?? true)
        default: false
        }
    }

    func showSeries(_ show: ShowKeys, database: String) async throws -> [ResultSeries] {
        let db = try resolveDatabase(show.database, database)
        try await requireDatabase(db)
        let condition = try Condition.split(show.condition, .init(now: 0, zone: nil)).0
        var keys = Set<String>()
        for name in try await measurements(show.sources, database: db) {
            for series in try await self.series(name, database: db, condition: condition) {
                keys.insert(seriesKey(name, series.tags))
            }
        }
        let sorted = window(keys.sorted(by: byteLess), limit: show.limit, offset: show.offset)
        if sorted.isEmpty { return [] }
        return [ResultSeries(name: nil, tags: nil, columns: ["key"], values: sorted.map { [.string($0)] })]
    }

    /// `cpu,host=a,region=eu`, escaped as line protocol escapes keys.
    func seriesKey(_ measurement: String, _ tags: [String: String]) -> String {
        func escape(_ s: String, _ characters: String) -> String {
            var out = ""
            for c in s {
                if characters.contains(c) { out.append("\\") }
                out.append(c)
            }
            return out
        }
        var key = escape(measurement, ", ")
        for (k, v) in tags.sorted(by: { byteLess($0.key, $1.key) }) {
            key += "," + escape(k, ", =") + "=" + escape(v, ", =")
        }
        return key
    }

    func window<T>(_ items: [T], limit: Int, offset: Int) -> [T] {
        let start = min(items.count, max(0, offset))
        let end = limit > 0 ? min(items.count, start + min(limit, items.count)) : items.count
        return start < end ? Array(items[start..<end]) : []
    }
}

/// Go's string order: by UTF-8 bytes.
func byteLess(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
