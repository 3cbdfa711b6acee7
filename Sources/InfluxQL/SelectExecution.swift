import Foundation

/// One SELECT, run: checked as InfluxDB checks it, its sources resolved to
/// measurements and tag sets, wildcards expanded, then either raw rows or
/// aggregates per GROUP BY series, ordered, filled and limited as InfluxDB
/// 1.6 does.
struct SelectExecution {
    let executor: Executor
    let statement: SelectStatement
    let database: String
    let now: Int64

    /// A tag set of a measurement: its tags and its series by field.
    struct Member {
        var tags: [String: String]
        var fields: [String: InfluxSeries]
    }

    /// One output series: a measurement and the values of the GROUP BY tags.
    struct Group {
        var measurement: String
        var key: [String]
        var members: [Member]
    }

    /// What the executor knows of a measurement once.
    struct MeasurementInfo {
        var name: String
        var members: [Member]
        var fieldTypes: [String: InfluxFieldType]
        var tagKeys: Set<String>
    }

    func run() async throws -> [ResultSeries] {
        var stmt = statement
        if stmt.hasTarget { throw QueryError("SELECT INTO is not supported by Collector") }
        var measurementSources: [Measurement] = []
        for source in stmt.sources {
            switch source {
            case .measurement(let m): measurementSources.append(m)
            case .subquery: throw QueryError("subqueries are not supported by Collector")
            }
        }
        // Normalization: every source needs a database.
        for m in measurementSources where m.database.isEmpty && database.isEmpty {
            throw QueryError("database name required")
        }

        let zone = stmt.timeZone.flatMap { $0 == "UTC" ? nil : TimeZone(identifier: $0) }
        let context = Condition.Context(now: now, zone: zone)
        let (condition, timeRange) = try Condition.split(stmt.condition, context)
        try SelectCompiler.validateCondition(condition)
        var compiler = SelectCompiler()
        try compiler.compileDimensions(stmt.dimensions, now: now, zone: zone)
        let start = timeRange.min ?? influxMinTime
        let end = timeRange.max ?? (compiler.interval > 0 ? now : influxMaxTime)
        stmt.fields = try compiler.compileFields(stmt.fields)
        try compiler.validateFields(stmt.fields, fill: stmt.fill)

        // The sources' measurements, in InfluxDB's (byte) order.
        var infos: [MeasurementInfo] = []
        var seen = Set<String>()
        for m in measurementSources {
            let db = m.database.isEmpty ? database : m.database
            try await executor.requireDatabase(db)
            for name in try await executor.measurements([m], database: db) where seen.insert(db + "\u{0}" + name).inserted {
                infos.append(try await info(name, database: db))
            }
        }
        infos.sort { byteLess($0.name, $1.name) }

        let windowing = Windowing(interval: compiler.interval, offset: compiler.offset, zone: zone, start: start, end: end)
        if executor.maxSelectBuckets > 0 && compiler.interval > 0 && start > influxMinTime {
            let first = windowing.window(start).start
            let last = windowing.window(end &- 1).start
            let buckets = (last &- first &+ compiler.interval) / compiler.interval
            if buckets > executor.maxSelectBuckets {
                throw QueryError("max-select-buckets limit exceeded: (\(buckets)/\(executor.maxSelectBuckets))")
            }
        }

        // Wildcards: fields and tags of all the sources together.
        var allFields: [String: InfluxFieldType] = [:]
        var allTags = Set<String>()
        for info in infos {
            for (name, type) in info.fieldTypes where allFields[name] == nil { allFields[name] = type }
            allTags.formUnion(info.tagKeys)
        }
        let (dimensions, hasDimensionWildcard) = expandDimensions(stmt.dimensions, tags: allTags)
        let fields = try expandFields(stmt.fields, fields: allFields, tags: allTags, dimensions: dimensions,
                                      hasDimensionWildcard: hasDimensionWildcard)
        if fields.isEmpty { return [] }
        let columns = [compiler.timeColumn] + columnNames(fields)

        let plan = Plan(
            fields: fields, columns: columns, condition: condition, windowing: windowing, ascending: stmt.ascending,
            fill: stmt.fill, limit: stmt.limit, offset: stmt.offset, zone: zone,
            isRaw: compiler.functionCalls.isEmpty, dimensions: dimensions)

        var output: [ResultSeries] = []
        var rows = 0
        for info in (stmt.ascending ? infos : infos.reversed()) {
            var groups = group(info, dimensions: dimensions, condition: condition)
            if !stmt.ascending { groups.reverse() }
            groups = executor.window(groups, limit: stmt.seriesLimit, offset: stmt.seriesOffset)
            for group in groups {
                let series = plan.isRaw ? try await raw(group, plan, info) : try await aggregate(group, plan, info)
                guard let series else { continue }
                rows += series.values.count
                if executor.maxRows > 0 && rows > executor.maxRows {
                    throw QueryError("the query would return more than \(executor.maxRows) rows; narrow its time range or widen its GROUP BY time")
                }
                output.append(series)
            }
        }
        return output
    }

    struct Plan {
        var fields: [Field]
        var columns: [String]
        var condition: Expr?
        var windowing: Windowing
        var ascending: Bool
        var fill: FillOption
        var limit: Int
        var offset: Int
        var zone: TimeZone?
        var isRaw: Bool
        /// The GROUP BY tags, wildcards expanded.
        var dimensions: [String]

        func timeValue(_ ns: Int64) -> ResultValue {
            .time(ns, offsetSeconds: zone.map { TimeFormat.offset($0, at: ns) } ?? 0)
        }
    }

    // MARK: Sources

    private func info(_ name: String, database: String) async throws -> MeasurementInfo {
        let all = try await executor.source.series(database: database, measurement: name)
        var byTags: [[String: String]: Member] = [:]
        var order: [[String: String]] = []
        var fieldTypes: [String: InfluxFieldType] = [:]
        var tagKeys = Set<String>()
        for series in all {
            if byTags[series.tags] == nil {
                byTags[series.tags] = Member(tags: series.tags, fields: [:])
                order.append(series.tags)
            }
            byTags[series.tags]?.fields[series.field] = series
            if fieldTypes[series.field] == nil { fieldTypes[series.field] = series.type }
            tagKeys.formUnion(series.tags.keys)
        }
        let members = order.compactMap { byTags[$0] }.sorted { seriesKeyLess($0.tags, $1.tags) }
        return MeasurementInfo(name: name, members: members, fieldTypes: fieldTypes, tagKeys: tagKeys)
    }

    private func seriesKeyLess(_ a: [String: String], _ b: [String: String]) -> Bool {
        let ka = a.sorted { byteLess($0.key, $1.key) }.map { $0.key + "=" + $0.value }.joined(separator: ",")
        let kb = b.sorted { byteLess($0.key, $1.key) }.map { $0.key + "=" + $0.value }.joined(separator: ",")
        return byteLess(ka, kb)
    }

    /// The tag sets that pass the condition's tag part, grouped by the
    /// GROUP BY tags' values, in tag order.
    private func group(_ info: MeasurementInfo, dimensions: [String], condition: Expr?) -> [Group] {
        let tagOnly = condition.map { !references(fieldsOf: info, in: $0) } ?? true
        var groups: [[String]: Group] = [:]
        for member in info.members {
            if tagOnly, let condition, !Evaluation.isTrue(condition, { name, _ in
                if name == "_name" { return .string(info.name) }
                return .string(member.tags[name] ?? "")
            }) {
                continue
            }
            let key = dimensions.map { member.tags[$0] ?? "" }
            groups[key, default: Group(measurement: info.name, key: key, members: [])].members.append(member)
        }
        return groups.values.sorted { a, b in
            for (x, y) in zip(a.key, b.key) where x != y { return byteLess(x, y) }
            return false
        }
    }

    private func references(fieldsOf info: MeasurementInfo, in expr: Expr) -> Bool {
        var found = false
        expr.walk { node in
            if case .varRef(let name, let type) = node {
                if type == .tag { return true }
                if info.fieldTypes[name] != nil || (type != nil) { found = true }
            }
            return !found
        }
        return found
    }

    // MARK: Wildcards and columns

    private func expandDimensions(_ dimensions: [Expr], tags: Set<String>) -> ([String], Bool) {
        var names: [String] = []
        var wildcard = false
        for dimension in dimensions {
            switch dimension {
            case .varRef(let name, _): if !names.contains(name) { names.append(name) }
            case .wildcard:
                wildcard = true
                for tag in tags.sorted(by: byteLess) where !names.contains(tag) { names.append(tag) }
            case .regex(let re):
                wildcard = true
                for tag in tags.sorted(by: byteLess) where re.matches(tag) && !names.contains(tag) { names.append(tag) }
            default: break
            }
        }
        return (names, wildcard)
    }

    private func expandFields(
        _ fields: [Field], fields fieldTypes: [String: InfluxFieldType], tags: Set<String>, dimensions: [String],
        hasDimensionWildcard: Bool
    ) throws -> [Field] {
        // InfluxDB's RewriteFields: fields and, unless grouped by them, tags,
        // sorted by name together.
        var refs: [(name: String, isTag: Bool)] = fieldTypes.keys.map { ($0, false) }
        if !hasDimensionWildcard {
            for tag in tags where !dimensions.contains(tag) { refs.append((tag, true)) }
        }
        refs.sort { a, b in a.name != b.name ? byteLess(a.name, b.name) : (!a.isTag && b.isTag) }
        if fieldTypes.isEmpty { refs = [] }

        var result: [Field] = []
        for field in fields {
            switch field.expr {
            case .wildcard(let type):
                for ref in refs {
                    if type == .field && ref.isTag { continue }
                    if type == .tag && !ref.isTag { continue }
                    result.append(Field(expr: .varRef(ref.name, ref.isTag ? .tag : nil), alias: nil))
                }
            case .regex(let re):
                for ref in refs where re.matches(ref.name) {
                    result.append(Field(expr: .varRef(ref.name, ref.isTag ? .tag : nil), alias: nil))
                }
            case .call:
                guard let (innermost, path) = innermostCall(field.expr), let argument = innermost.args.first else {
                    result.append(field)
                    continue
                }
                var regex: InfluxRegex?
                switch argument {
                case .wildcard(let type):
                    if type == .tag { throw QueryError("unable to use tag wildcard in \(innermost.name)()") }
                case .regex(let re): regex = re
                default:
                    result.append(field)
                    continue
                }
                var supported: Set<InfluxFieldType> = [.float, .integer, .unsigned]
                switch innermost.name {
                case "count", "first", "last", "distinct", "elapsed", "mode", "sample":
                    supported.formUnion([.string, .boolean])
                case "min", "max":
                    supported.insert(.boolean)
                default: break
                }
                for name in fieldTypes.keys.sorted(by: byteLess) {
                    guard let type = fieldTypes[name], supported.contains(type) else { continue }
                    if let regex, !regex.matches(name) { continue }
                    let replaced = replaceInnermostArgument(field.expr, path: path, with: .varRef(name, nil))
                    result.append(Field(expr: replaced, alias: "\(field.name)_\(name)"))
                }
            case .binary:
                var wildcard = false
                var regex = false
                field.expr.walk { node in
                    if case .wildcard = node { wildcard = true }
                    if case .regex = node { regex = true }
                    return true
                }
                if wildcard { throw QueryError("unsupported expression with wildcard: \(field.expr)") }
                if regex { throw QueryError("unsupported expression with regex field: \(field.expr)") }
                result.append(field)
            default:
                result.append(field)
            }
        }
        return result
    }

    /// The innermost call along first arguments (`derivative(mean(*))` →
    /// `mean(*)`) and how deep it is.
    private func innermostCall(_ expr: Expr) -> ((name: String, args: [Expr]), Int)? {
        guard case .call(let name, let args) = expr else { return nil }
        if let first = args.first, case .call = first, let (inner, depth) = innermostCall(first) { return (inner, depth + 1) }
        return ((name, args), 0)
    }

    private func replaceInnermostArgument(_ expr: Expr, path: Int, with replacement: Expr) -> Expr {
        guard case .call(let name, var args) = expr, !args.isEmpty else { return expr }
        if path == 0 {
            args[0] = replacement
        } else {
            args[0] = replaceInnermostArgument(args[0], path: path - 1, with: replacement)
        }
        return .call(name, args)
    }

    /// Column names with InfluxDB's de-duplication (`mean`, `mean_1`).
    private func columnNames(_ fields: [Field]) -> [String] {
        var names = Array(repeating: "", count: fields.count)
        var used: [String: Int] = [:]
        for (i, field) in fields.enumerated() {
            if let alias = field.alias, !alias.isEmpty {
                names[i] = alias
                used[alias] = 1
            }
        }
        for (i, field) in fields.enumerated() where names[i].isEmpty {
            var name = field.name
            if var count = used[name] {
                while true {
                    let candidate = "\(name)_\(count)"
                    if used[candidate] == nil {
                        used[name] = count + 1
                        name = candidate
                        break
                    }
                    count += 1
                }
            }
            used[name, default: 0] += 1
            names[i] = name
        }
        return names
    }

    // MARK: Reading

    /// A member's values of `fields` in the query's range, by time.
    private func load(_ member: Member, fields: Set<String>, from: Int64, through: Int64) async throws -> [Int64: [String: InfluxValue]] {
        var rows: [Int64: [String: InfluxValue]] = [:]
        let to = through == Int64.max ? through : through &+ 1
        for name in fields.sorted() {
            guard let series = member.fields[name] else { continue }
            for sample in try await executor.source.points(series, from: from, to: to) where sample.time >= from && sample.time <= through {
                rows[sample.time, default: [:]][name] = sample.value
            }
        }
        return rows
    }

    private func fieldNames(in expr: Expr?, _ info: MeasurementInfo) -> Set<String> {
        var names = Set<String>()
        expr?.walk { node in
            if case .varRef(let name, let type) = node, type != .tag, info.fieldTypes[name] != nil { names.insert(name) }
            return true
        }
        return names
    }

    private func lookup(_ member: Member, _ row: [String: InfluxValue]?, _ info: MeasurementInfo) -> Evaluation.Lookup {
        { name, type in
            if type != .tag, info.fieldTypes[name] != nil { return row?[name] }
            if type == .field { return nil }
            return .string(member.tags[name] ?? "")
        }
    }

    // MARK: Raw queries

    private func raw(_ group: Group, _ plan: Plan, _ info: MeasurementInfo) async throws -> ResultSeries? {
        var selected = Set<String>()
        for field in plan.fields { selected.formUnion(fieldNames(in: field.expr, info)) }
        if selected.isEmpty { return nil }
        let needed = selected.union(fieldNames(in: plan.condition, info))
        var rows: [(time: Int64, member: Int, values: [ResultValue])] = []
        for (index, member) in group.members.enumerated() {
            let data = try await load(member, fields: needed, from: plan.windowing.start, through: plan.windowing.end)
            for (time, row) in data {
                guard row.keys.contains(where: selected.contains) else { continue }
                if let condition = plan.condition, !Evaluation.isTrue(condition, lookup(member, row, info)) { continue }
                var values: [ResultValue] = [plan.timeValue(time)]
                for field in plan.fields {
                    values.append(value(of: field.expr, member: member, row: row, info: info))
                }
                rows.append((time, index, values))
            }
        }
        rows.sort { a, b in a.time != b.time ? (a.time < b.time) == plan.ascending : a.member < b.member }
        let limited = executor.window(rows, limit: plan.limit, offset: plan.offset)
        if limited.isEmpty { return nil }
        return ResultSeries(name: group.measurement, tags: tags(group, plan), columns: plan.columns, values: limited.map(\.values))
    }

    private func value(of expr: Expr, member: Member, row: [String: InfluxValue]?, info: MeasurementInfo) -> ResultValue {
        if case .varRef(let name, let type) = expr {
            if type != .tag, info.fieldTypes[name] != nil { return ResultValue(row?[name]) }
            if type == .field { return .null }
            return member.tags[name].map { .string($0) } ?? .null
        }
        let lookup: Evaluation.Lookup = { name, type in
            if type != .tag, info.fieldTypes[name] != nil { return row?[name] }
            if type == .field { return nil }
            return member.tags[name].map { .string($0) }
        }
        if case .value(let v)? = Evaluation.evaluate(expr, lookup) { return ResultValue(v) }
        return .null
    }

    private func tags(_ group: Group, _ plan: Plan) -> [String: String]? {
        guard !plan.dimensions.isEmpty else { return nil }
        return Dictionary(zip(plan.dimensions, group.key), uniquingKeysWith: { first, _ in first })
    }

    // MARK: Aggregates

    private func aggregate(_ group: Group, _ plan: Plan, _ info: MeasurementInfo) async throws -> ResultSeries? {
        // Each distinct call once; fields may share one (`max(x), max(x) * 2`).
        var calls: [String: Expr] = [:]
        var callOrder: [String] = []
        var auxiliary: [Field] = []
        for field in plan.fields {
            var hasCall = false
            field.expr.walk { node in
                if case .call(let name, _) = node, !Evaluation.mathFunctions.contains(name) {
                    let key = node.description
                    if calls[key] == nil {
                        calls[key] = node
                        callOrder.append(key)
                    }
                    hasCall = true
                    return false
                }
                return true
            }
            if !hasCall { auxiliary.append(field) }
        }
        let selector: Bool = {
            guard callOrder.count == 1, let only = calls[callOrder[0]], case .call(let name, _) = only else { return false }
            return Aggregates.selectors.contains(name)
        }()

        var results: [String: [TimedValue]] = [:]
        for key in callOrder {
            guard let call = calls[key] else { continue }
            var values = try await evaluate(call, group: group, plan: plan, info: info, selector: selector)
            values = executor.window(values, limit: plan.limit, offset: plan.offset)
            results[key] = values
        }

        // Join the calls' values by time, in output order.
        var times: [Int64] = []
        var seenTimes = Set<Int64>()
        var byTime: [String: [Int64: TimedValue]] = [:]
        for key in callOrder {
            for value in results[key] ?? [] {
                if seenTimes.insert(value.time).inserted { times.append(value.time) }
                if byTime[key, default: [:]][value.time] == nil { byTime[key, default: [:]][value.time] = value }
            }
        }
        if times.isEmpty { return nil }
        times.sort { plan.ascending ? $0 < $1 : $0 > $1 }

        // A field that is one call (`mean(value)`, the usual case) is that
        // call's value: no expression to evaluate per row.
        let direct: [String?] = plan.fields.map { field in
            if case .call(let name, _) = field.expr, !Evaluation.mathFunctions.contains(name) { return field.expr.description }
            return nil
        }
        var rows: [[ResultValue]] = []
        rows.reserveCapacity(times.count)
        for time in times {
            var row: [ResultValue] = [plan.timeValue(time)]
            let selected = callOrder.first.flatMap { byTime[$0]?[time] }
            var auxRow: [String: InfluxValue]?
            var auxMember: Member?
            if !auxiliary.isEmpty, let selected, let memberIndex = selected.member, memberIndex < group.members.count {
                auxMember = group.members[memberIndex]
                if let member = auxMember, let origin = selected.origin {
                    let needed = Set(auxiliary.flatMap { fieldNames(in: $0.expr, info) })
                    auxRow = try await load(member, fields: needed, from: origin, through: origin)[origin]
                }
            }
            var values: [String: InfluxValue?]?
            for (index, field) in plan.fields.enumerated() {
                if let key = direct[index] {
                    row.append(ResultValue(byTime[key]?[time]?.value))
                    continue
                }
                let calls = values ?? Dictionary(uniqueKeysWithValues: callOrder.map { ($0, byTime[$0]?[time]?.value) })
                values = calls
                row.append(evaluateRow(field.expr, calls: calls, member: auxMember, row: auxRow, info: info))
            }
            rows.append(row)
        }
        return ResultSeries(name: group.measurement, tags: tags(group, plan), columns: plan.columns, values: rows)
    }

    private func evaluateRow(_ expr: Expr, calls: [String: InfluxValue?], member: Member?, row: [String: InfluxValue]?, info: MeasurementInfo) -> ResultValue {
        func resolve(_ e: Expr) -> Expr {
            switch e {
            case .call(let name, let args):
                if Evaluation.mathFunctions.contains(name) { return .call(name, args.map(resolve)) }
                if let value = calls[e.description], let value {
                    switch value {
                    case .float(let v): return .number(v)
                    case .integer(let v): return .integer(v)
                    case .unsigned(let v): return .unsigned(v)
                    case .string(let v): return .string(v)
                    case .boolean(let v): return .boolean(v)
                    }
                }
                return .null
            case .binary(let op, let l, let r): return .binary(op, resolve(l), resolve(r))
            case .paren(let inner): return .paren(resolve(inner))
            default: return e
            }
        }
        let resolved = resolve(expr)
        switch resolved {
        case .null: return .null
        case .number(let v): return v.isNaN ? .null : .float(v)
        case .integer(let v): return .integer(v)
        case .unsigned(let v): return .unsigned(v)
        case .string(let v): return .string(v)
        case .boolean(let v): return .boolean(v)
        case .varRef(let name, let type):
            guard let member else { return .null }
            if type != .tag, info.fieldTypes[name] != nil { return ResultValue(row?[name]) }
            return member.tags[name].map { .string($0) } ?? .null
        default:
            let lookup: Evaluation.Lookup = { name, type in
                if type != .tag, info.fieldTypes[name] != nil { return row?[name] }
                return member?.tags[name].map { .string($0) }
            }
            if case .value(let v)? = Evaluation.evaluate(resolved, lookup) { return ResultValue(v) }
            return .null
        }
    }

    /// One call's values for a group, in output order.
    private func evaluate(_ call: Expr, group: Group, plan: Plan, info: MeasurementInfo, selector: Bool) async throws -> [TimedValue] {
        guard case .call(let name, let args) = call, let argument = args.first else { return [] }
        if Aggregates.transforms.contains(name) {
            if case .call = argument {
                // derivative(mean(x)): the inner aggregate over one more
                // bucket, filled, then the transform on its non-null values.
                var extended = plan
                if plan.ascending {
                    extended.windowing.start = plan.windowing.start &- plan.windowing.interval
                } else {
                    extended.windowing.end = plan.windowing.end &+ plan.windowing.interval
                }
                let inner = try await evaluate(argument, group: group, plan: extended, info: info, selector: false)
                let unit = args.count > 1 ? durationValue(args[1]) : plan.windowing.interval
                return Aggregates.transform(name, inner, unit: unit, ascending: plan.ascending)
            }
            guard case .varRef(let field, _) = argument else { return [] }
            if let type = info.fieldTypes[field], let error = transformTypeError(name, type) { throw QueryError(error) }
            var inputs = try await inputs(field, group: group, plan: plan, info: info)
            inputs.sort { a, b in a.time != b.time ? a.time < b.time : a.member < b.member }
            if !plan.ascending { inputs.reverse() }
            let unit = args.count > 1 ? durationValue(args[1]) : Duration.second
            return Aggregates.transform(name, inputs.map { TimedValue(time: $0.time, value: $0.value) }, unit: unit, ascending: plan.ascending)
        }

        guard case .varRef(let field, _) = argument, let type = info.fieldTypes[field] else { return [] }
        let membersWithField = group.members.filter { $0.fields[field] != nil }
        if membersWithField.isEmpty { return [] }
        if let error = Aggregates.typeError(name, type) { throw QueryError(error) }
        var percentile = 0.0
        if name == "percentile", args.count > 1 {
            switch args[1] {
            case .integer(let v): percentile = Double(v)
            case .number(let v): percentile = v
            default: break
            }
        }
        let windowing = plan.windowing
        let resultType = Aggregates.resultType(name, type)

        // Reduce per bucket (one bucket without GROUP BY time).
        var buckets: [Int64: Aggregates.Output] = [:]
        if let fast = try await fastBuckets(name, field: field, type: type, group: group, plan: plan, info: info) {
            buckets = fast
        } else {
            let all = try await inputs(field, group: group, plan: plan, info: info)
            var grouped: [Int64: [Aggregates.Input]] = [:]
            for input in all { grouped[windowing.window(input.time).start, default: []].append(input) }
            for (start, values) in grouped {
                let ordered = values.sorted { a, b in a.time != b.time ? a.time < b.time : a.member < b.member }
                if let output = Aggregates.reduce(name, ordered, argument: percentile) { buckets[start] = output }
            }
        }

        if !windowing.hasInterval {
            guard let output = buckets.values.first else { return [] }
            let time: Int64
            if selector, let selected = output.time {
                time = selected
            } else {
                time = windowing.start == influxMinTime ? 0 : windowing.start
            }
            return [TimedValue(time: time, value: output.value, member: output.member, origin: output.time)]
        }

        var points = buckets.map { TimedValue(time: $0.key, value: $0.value.value, member: $0.value.member, origin: $0.value.time) }
        points.sort { plan.ascending ? $0.time < $1.time : $0.time > $1.time }
        var fill = plan.fill
        if name == "count", case .null = fill { fill = .number(0, isInteger: true) }
        if case .none = fill { return points }
        if let first = points.first {
            let from = windowing.start == influxMinTime ? first.time : windowing.window(windowing.start).start
            let to = plan.ascending ? windowing.window(windowing.end).start : (points.last?.time ?? first.time)
            let estimate = (Double(to) - Double(from)) / Double(windowing.interval)
            if executor.maxRows > 0 && estimate > Double(executor.maxRows) {
                throw QueryError("the query would return more than \(executor.maxRows) rows; narrow its time range or widen its GROUP BY time")
            }
        }
        return Fill.apply(points, windowing: windowing, ascending: plan.ascending, option: fill, type: resultType)
    }

    private func durationValue(_ expr: Expr) -> Int64 {
        if case .duration(let d) = expr { return d }
        return Duration.second
    }

    private func transformTypeError(_ name: String, _ type: InfluxFieldType) -> String? {
        switch type {
        case .float, .integer, .unsigned: nil
        case .string, .boolean: "unsupported \(name) iterator type: *query.\(type.rawValue)InterruptIterator"
        }
    }

    /// A field's values in the group within the range, passing the condition.
    private func inputs(_ field: String, group: Group, plan: Plan, info: MeasurementInfo) async throws -> [Aggregates.Input] {
        var inputs: [Aggregates.Input] = []
        let conditionFields = fieldNames(in: plan.condition, info)
        let rowFilter = plan.condition != nil && !conditionFields.isEmpty
        for (index, member) in group.members.enumerated() {
            guard let series = member.fields[field] else { continue }
            if rowFilter, let condition = plan.condition {
                let rows = try await load(member, fields: conditionFields.union([field]), from: plan.windowing.start, through: plan.windowing.end)
                for (time, row) in rows {
                    guard let value = row[field], Evaluation.isTrue(condition, lookup(member, row, info)) else { continue }
                    inputs.append(Aggregates.Input(time: time, value: value, member: index))
                }
            } else {
                let to = plan.windowing.end == Int64.max ? plan.windowing.end : plan.windowing.end &+ 1
                for sample in try await executor.source.points(series, from: plan.windowing.start, to: to)
                where sample.time >= plan.windowing.start && sample.time <= plan.windowing.end {
                    inputs.append(Aggregates.Input(time: sample.time, value: sample.value, member: index))
                }
            }
        }
        return inputs
    }

    /// The store's bucket summaries, when they answer the function exactly.
    private func fastBuckets(
        _ name: String, field: String, type: InfluxFieldType, group: Group, plan: Plan, info: MeasurementInfo
    ) async throws -> [Int64: Aggregates.Output]? {
        let windowing = plan.windowing
        guard windowing.hasInterval, windowing.zone == nil, fieldNames(in: plan.condition, info).isEmpty else { return nil }
        switch (name, type) {
        case ("count", _), ("mean", .float), ("mean", .integer), ("sum", .float), ("min", .float), ("max", .float), ("spread", .float):
            break
        default:
            return nil
        }
        // min and max must also say when; only when no row needs it.
        if (name == "min" || name == "max") && plan.fields.count > 1 { return nil }
        let series = group.members.compactMap { $0.fields[field] }
        let to = windowing.end == Int64.max ? windowing.end : windowing.end &+ 1
        guard let summaries = try await executor.source.buckets(
            series, from: windowing.start, to: to, interval: windowing.interval, offset: windowing.offset)
        else { return nil }
        var outputs: [Int64: Aggregates.Output] = [:]
        for (start, summary) in summaries where summary.count > 0 {
            let value: InfluxValue
            switch name {
            case "count": value = .integer(summary.count)
            case "mean": value = .float(summary.sum / Double(summary.count))
            case "sum": value = .float(summary.sum)
            case "min": value = .float(summary.min)
            case "max": value = .float(summary.max)
            default: value = .float(summary.max - summary.min)
            }
            outputs[start] = Aggregates.Output(time: nil, value: value, member: nil)
        }
        return outputs
    }
}
