import Foundation

/// Statements: InfluxDB's keyword tree picks the statement from its leading
/// keywords, and a wrong keyword is answered with the keywords that would
/// have fitted, in InfluxDB's order (`expected SELECT, DELETE, SHOW, ...`).
extension Parser {
    indirect enum Node: Sendable {
        case branch([(Token, Node)])
        case leaf(StatementKind)
    }

    enum StatementKind: Sendable {
        case select, showDatabases, showMeasurements, showFieldKeys, showTagKeys, showTagValues
        case showRetentionPolicies, showSeries, createDatabase
        /// Any other statement, by its keywords.
        case other(String)
    }

    static let language: Node = {
        func other(_ name: String) -> Node { .leaf(.other(name)) }
        let show: Node = .branch([
            (.continuous, .branch([(.queries, other("SHOW CONTINUOUS QUERIES"))])),
            (.databases, .leaf(.showDatabases)),
            (.diagnostics, other("SHOW DIAGNOSTICS")),
            (.field, .branch([(.key, other("SHOW FIELD KEY CARDINALITY")), (.keys, .leaf(.showFieldKeys))])),
            (.grants, .branch([(.for, other("SHOW GRANTS"))])),
            (.measurement, .branch([(.exact, other("SHOW MEASUREMENT EXACT CARDINALITY")),
                                    (.cardinality, other("SHOW MEASUREMENT CARDINALITY"))])),
            (.measurements, .leaf(.showMeasurements)),
            (.queries, other("SHOW QUERIES")),
            (.retention, .branch([(.policies, .leaf(.showRetentionPolicies))])),
            (.series, .leaf(.showSeries)),
            (.shard, .branch([(.groups, other("SHOW SHARD GROUPS"))])),
            (.shards, other("SHOW SHARDS")),
            (.stats, other("SHOW STATS")),
            (.subscriptions, other("SHOW SUBSCRIPTIONS")),
            (.tag, .branch([(.key, other("SHOW TAG KEY CARDINALITY")), (.keys, .leaf(.showTagKeys)),
                            (.values, .leaf(.showTagValues))])),
            (.users, other("SHOW USERS")),
        ])
        let create: Node = .branch([
            (.continuous, .branch([(.query, other("CREATE CONTINUOUS QUERY"))])),
            (.database, .leaf(.createDatabase)),
            (.user, other("CREATE USER")),
            (.retention, .branch([(.policy, other("CREATE RETENTION POLICY"))])),
            (.subscription, other("CREATE SUBSCRIPTION")),
        ])
        let drop: Node = .branch([
            (.continuous, .branch([(.query, other("DROP CONTINUOUS QUERY"))])),
            (.database, other("DROP DATABASE")),
            (.measurement, other("DROP MEASUREMENT")),
            (.retention, .branch([(.policy, other("DROP RETENTION POLICY"))])),
            (.series, other("DROP SERIES")),
            (.shard, other("DROP SHARD")),
            (.subscription, other("DROP SUBSCRIPTION")),
            (.user, other("DROP USER")),
        ])
        return .branch([
            (.select, .leaf(.select)),
            (.delete, other("DELETE")),
            (.show, show),
            (.create, create),
            (.drop, drop),
            (.explain, other("EXPLAIN")),
            (.grant, other("GRANT")),
            (.revoke, other("REVOKE")),
            (.alter, .branch([(.retention, .branch([(.policy, other("ALTER RETENTION POLICY"))]))])),
            (.set, .branch([(.password, .branch([(.for, other("SET PASSWORD"))]))])),
            (.kill, .branch([(.query, other("KILL QUERY"))])),
        ])
    }()

    public mutating func parseStatement() throws(ParseError) -> Statement {
        var node = Parser.language
        while true {
            guard case .branch(let children) = node else { break }
            let (token, pos, literal) = scanIgnoreWhitespace()
            guard let next = children.first(where: { $0.0 == token })?.1 else {
                throw ParseError(found: tokenText(token, literal), expected: children.map(\.0.name), at: pos)
            }
            if case .leaf(let kind) = next { return try parse(kind) }
            node = next
        }
        throw ParseError("unreachable")
    }

    private mutating func parse(_ kind: StatementKind) throws(ParseError) -> Statement {
        switch kind {
        case .select: return .select(try parseSelectStatement())
        case .showDatabases: return .showDatabases
        case .showMeasurements: return .showMeasurements(try parseShowMeasurements())
        case .showFieldKeys:
            var keys = ShowKeys()
            keys.database = try parseOptionalOn()
            keys.sources = try parseOptionalFrom()
            _ = try parseOrderBy()
            keys.limit = try parseOptionalTokenAndInt(.limit)
            keys.offset = try parseOptionalTokenAndInt(.offset)
            return .showFieldKeys(keys)
        case .showTagKeys:
            var keys = ShowKeys()
            keys.database = try parseOptionalOn()
            keys.sources = try parseOptionalFrom()
            keys.condition = try parseCondition()
            _ = try parseOrderBy()
            keys.limit = try parseOptionalTokenAndInt(.limit)
            keys.offset = try parseOptionalTokenAndInt(.offset)
            keys.seriesLimit = try parseOptionalTokenAndInt(.slimit)
            keys.seriesOffset = try parseOptionalTokenAndInt(.soffset)
            return .showTagKeys(keys)
        case .showTagValues: return try parseShowTagValues()
        case .showRetentionPolicies:
            if scanIgnoreWhitespace().0 == .on { return .showRetentionPolicies(database: try parseIdent()) }
            unscan()
            return .showRetentionPolicies(database: "")
        case .showSeries:
            let (first, _, _) = scanIgnoreWhitespace()
            if first == .exact || first == .cardinality { return skipStatement("SHOW SERIES CARDINALITY") }
            unscan()
            var keys = ShowKeys()
            keys.database = try parseOptionalOn()
            keys.sources = try parseOptionalFrom()
            keys.condition = try parseCondition()
            _ = try parseOrderBy()
            keys.limit = try parseOptionalTokenAndInt(.limit)
            keys.offset = try parseOptionalTokenAndInt(.offset)
            return .showSeries(keys)
        case .createDatabase:
            let name = try parseIdent()
            // Durations, replication and shard settings mean nothing to Collector.
            _ = skipStatement("")
            return .createDatabase(name)
        case .other(let name):
            return skipStatement(name)
        }
    }

    /// Steps over the rest of a statement Collector does not serve, up to
    /// the `;` or the end, so that the statements after it still parse.
    private mutating func skipStatement(_ name: String) -> Statement {
        while true {
            let (token, _, _) = scanIgnoreWhitespace()
            if token == .semicolon || token == .eof {
                unscan()
                return .unsupported(name)
            }
        }
    }

    private mutating func parseOptionalOn() throws(ParseError) -> String {
        if scanIgnoreWhitespace().0 == .on { return try parseIdent() }
        unscan()
        return ""
    }

    private mutating func parseOptionalFrom() throws(ParseError) -> [Measurement] {
        if scanIgnoreWhitespace().0 != .from {
            unscan()
            return []
        }
        return try parseSources(subqueries: false).compactMap { source in
            if case .measurement(let m) = source { return m }
            return nil
        }
    }

    private mutating func parseShowMeasurements() throws(ParseError) -> ShowMeasurements {
        var stmt = ShowMeasurements()
        stmt.database = try parseOptionalOn()
        if scanIgnoreWhitespace().0 == .with {
            try parseTokens([.measurement])
            let (token, pos, literal) = scanIgnoreWhitespace()
            guard token == .eq || token == .eqRegex else {
                throw ParseError(found: tokenText(token, literal), expected: ["=", "=~"], at: pos)
            }
            if case .measurement(let m) = try parseSource(subqueries: false) { stmt.source = m }
        } else {
            unscan()
        }
        stmt.condition = try parseCondition()
        _ = try parseOrderBy()
        stmt.limit = try parseOptionalTokenAndInt(.limit)
        stmt.offset = try parseOptionalTokenAndInt(.offset)
        return stmt
    }

    private mutating func parseShowTagValues() throws(ParseError) -> Statement {
        let (first, _, _) = scanIgnoreWhitespace()
        if first == .exact || first == .cardinality { return skipStatement("SHOW TAG VALUES CARDINALITY") }
        unscan()
        var stmt = ShowTagValues()
        stmt.database = try parseOptionalOn()
        stmt.sources = try parseOptionalFrom()
        try parseTokens([.with, .key])
        let (token, pos, literal) = scanIgnoreWhitespace()
        switch token {
        case .in:
            let (open, openPos, openLiteral) = scanIgnoreWhitespace()
            if open != .lparen { throw ParseError(found: tokenText(open, openLiteral), expected: ["("], at: openPos) }
            stmt.keys = try parseIdentList()
            let (close, closePos, closeLiteral) = scanIgnoreWhitespace()
            if close != .rparen { throw ParseError(found: tokenText(close, closeLiteral), expected: [")"], at: closePos) }
            stmt.op = .in
        case .eq, .neq:
            stmt.keys = [try parseIdent()]
            stmt.op = token
        case .eqRegex, .neqRegex:
            guard case .regex(let re)? = try parseRegex() else {
                let (next, nextPos, nextLiteral) = scanIgnoreWhitespace()
                throw ParseError(found: tokenText(next, nextLiteral), expected: ["regex"], at: nextPos)
            }
            stmt.keyRegex = re
            stmt.op = token
        default:
            throw ParseError(found: tokenText(token, literal), expected: ["IN", "=", "=~"], at: pos)
        }
        stmt.condition = try parseCondition()
        _ = try parseOrderBy()
        stmt.limit = try parseOptionalTokenAndInt(.limit)
        stmt.offset = try parseOptionalTokenAndInt(.offset)
        return .showTagValues(stmt)
    }

    // MARK: SELECT

    mutating func parseSelectStatement() throws(ParseError) -> SelectStatement {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw ParseError("expression nested too deeply") }

        var stmt = SelectStatement()
        stmt.fields = try parseFields()
        if scanIgnoreWhitespace().0 == .into {
            // SELECT ... INTO: parsed so that errors are InfluxDB's, refused when run.
            _ = try parseIntoTarget()
            stmt.hasTarget = true
        } else {
            unscan()
        }
        let (token, pos, literal) = scanIgnoreWhitespace()
        if token != .from { throw ParseError(found: tokenText(token, literal), expected: ["FROM"], at: pos) }
        stmt.sources = try parseSources(subqueries: true)
        stmt.condition = try parseCondition()
        stmt.dimensions = try parseDimensions()
        stmt.fill = try parseFill()
        if let ascending = try parseOrderBy() { stmt.ascending = ascending }
        stmt.limit = try parseOptionalTokenAndInt(.limit)
        stmt.offset = try parseOptionalTokenAndInt(.offset)
        stmt.seriesLimit = try parseOptionalTokenAndInt(.slimit)
        stmt.seriesOffset = try parseOptionalTokenAndInt(.soffset)
        stmt.timeZone = try parseLocation()
        stmt.isRawQuery = !stmt.fields.contains { $0.expr.containsCall }
        return stmt
    }

    private mutating func parseIntoTarget() throws(ParseError) -> Measurement {
        if let regex = try parseRegex(), case .regex(let re) = regex {
            return Measurement(regex: re)
        }
        let idents = try parseSegmentedIdents()
        var m = Measurement()
        m.name = idents.last ?? ""
        if idents.count >= 2 { m.retentionPolicy = idents[idents.count - 2] }
        if idents.count == 3 { m.database = idents[0] }
        if scan().0 == .colon {
            try parseTokens([.measurement])
        } else {
            unscan()
        }
        return m
    }

    mutating func parseFields() throws(ParseError) -> [Field] {
        var fields: [Field] = []
        while true {
            fields.append(try parseField())
            if scan().0 != .comma {
                unscan()
                break
            }
        }
        return fields
    }

    private mutating func parseField() throws(ParseError) -> Field {
        var field: Field
        if let regex = try parseRegex() {
            field = Field(expr: regex, alias: nil)
        } else {
            let (_, pos, _) = scanIgnoreWhitespace()
            unscan()
            let expr = try parseExpr()
            var bad: Token?
            expr.walk { node in
                if case .binary(let op, _, _) = node,
                   [.eq, .neq, .eqRegex, .neqRegex, .lt, .lte, .gt, .gte, .and, .or].contains(op) {
                    if bad == nil { bad = op }
                    return false
                }
                return true
            }
            if let bad {
                throw ParseError("invalid operator \(bad.name) in SELECT clause at line \(pos.line + 1), char \(pos.char + 1); operator is intended for WHERE clause")
            }
            field = Field(expr: expr, alias: nil)
        }
        if scanIgnoreWhitespace().0 == .as {
            field.alias = try parseIdent()
        } else {
            unscan()
        }
        consumeWhitespace()
        return field
    }

    mutating func parseSources(subqueries: Bool) throws(ParseError) -> [Source] {
        var sources: [Source] = []
        while true {
            sources.append(try parseSource(subqueries: subqueries))
            if scanIgnoreWhitespace().0 != .comma {
                unscan()
                break
            }
        }
        return sources
    }

    mutating func parseSource(subqueries: Bool) throws(ParseError) -> Source {
        var m = Measurement()
        if case .regex(let re)? = try parseRegex() {
            m.regex = re
            return .measurement(m)
        }
        if subqueries {
            if scanIgnoreWhitespace().0 == .lparen {
                try parseTokens([.select])
                let inner = try parseSelectStatement()
                try parseTokens([.rparen])
                return .subquery(inner)
            }
            unscan()
        }
        let idents = try parseSegmentedIdents()
        if idents.count == 3 {
            m.database = idents[0]
            m.retentionPolicy = idents[1]
            m.name = idents[2]
            return .measurement(m)
        }
        var re: InfluxRegex?
        if case .regex(let parsed)? = try parseRegex() { re = parsed }
        m.regex = re
        if idents.count == 1 {
            if re != nil { m.retentionPolicy = idents[0] } else { m.name = idents[0] }
        } else if idents.count == 2 {
            if re != nil {
                m.database = idents[0]
                m.retentionPolicy = idents[1]
            } else {
                m.retentionPolicy = idents[0]
                m.name = idents[1]
            }
        }
        return .measurement(m)
    }

    mutating func parseCondition() throws(ParseError) -> Expr? {
        if scanIgnoreWhitespace().0 != .where {
            unscan()
            return nil
        }
        return try parseExpr()
    }

    private mutating func parseDimensions() throws(ParseError) -> [Expr] {
        if scanIgnoreWhitespace().0 != .group {
            unscan()
            return []
        }
        let (token, pos, literal) = scanIgnoreWhitespace()
        if token != .by { throw ParseError(found: tokenText(token, literal), expected: ["BY"], at: pos) }
        var dimensions: [Expr] = []
        while true {
            if let regex = try parseRegex() {
                dimensions.append(regex)
            } else {
                dimensions.append(try parseExpr())
                consumeWhitespace()
            }
            if scan().0 != .comma {
                unscan()
                break
            }
        }
        return dimensions
    }

    private mutating func parseFill() throws(ParseError) -> FillOption {
        let (token, _, literal) = scanIgnoreWhitespace()
        unscan()
        if token != .ident || literal.lowercased() != "fill" { return .null }
        guard case .call(_, let args) = try parseExpr() else { throw ParseError("fill must be a function call") }
        guard args.count == 1 else { throw ParseError("fill requires an argument, e.g.: 0, null, none, previous, linear") }
        switch args[0].description {
        case "null": return .null
        case "none": return .none
        case "previous": return .previous
        case "linear": return .linear
        default:
            switch args[0] {
            case .integer(let v): return .number(Double(v), isInteger: true)
            case .number(let v): return .number(v, isInteger: false)
            default: throw ParseError("expected number argument in fill()")
            }
        }
    }

    /// nil without ORDER BY, else whether it is ascending.
    private mutating func parseOrderBy() throws(ParseError) -> Bool? {
        if scanIgnoreWhitespace().0 != .order {
            unscan()
            return nil
        }
        let (by, byPos, byLiteral) = scanIgnoreWhitespace()
        if by != .by { throw ParseError(found: tokenText(by, byLiteral), expected: ["BY"], at: byPos) }
        var fields: [Bool] = []
        let (token, pos, literal) = scanIgnoreWhitespace()
        switch token {
        case .asc, .desc:
            fields.append(token == .asc)
        case .ident:
            unscan()
            let ascending = try parseSortField()
            if literal != "time" { throw ParseError("only ORDER BY time supported at this time") }
            fields.append(ascending)
        default:
            throw ParseError(found: tokenText(token, literal), expected: ["identifier", "ASC", "DESC"], at: pos)
        }
        while true {
            if scanIgnoreWhitespace().0 != .comma {
                unscan()
                break
            }
            fields.append(try parseSortField())
        }
        if fields.count > 1 { throw ParseError("only ORDER BY time supported at this time") }
        return fields.first
    }

    private mutating func parseSortField() throws(ParseError) -> Bool {
        _ = try parseIdent()
        let token = scanIgnoreWhitespace().0
        if token != .asc && token != .desc {
            unscan()
            return true
        }
        return token == .asc
    }

    private mutating func parseLocation() throws(ParseError) -> String? {
        let (token, _, literal) = scanIgnoreWhitespace()
        unscan()
        if token != .ident || literal.lowercased() != "tz" { return nil }
        guard case .call(_, let args) = try parseExpr() else { throw ParseError("tz must be a function call") }
        guard args.count == 1 else { throw ParseError("tz requires exactly one argument") }
        guard case .string(let name) = args[0] else { throw ParseError("expected string argument in tz()") }
        if name.isEmpty || name == "UTC" { return "UTC" }
        guard TimeZone(identifier: name) != nil else { throw ParseError("unable to find time zone \(name)") }
        return name
    }
}
