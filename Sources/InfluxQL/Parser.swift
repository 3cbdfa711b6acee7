import Foundation

/// Why a query failed to parse, worded as InfluxDB words it (`found FROMM,
/// expected FROM at line 1, char 15`). The `/query` answer is a 400 with
/// `{"error": "error parsing query: <description>"}`.
public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    init(_ message: String) { description = message }

    init(message: String, at pos: Position) {
        description = "\(message) at line \(pos.line + 1), char \(pos.char + 1)"
    }

    init(found: String, expected: [String], at pos: Position) {
        description = "found \(found), expected \(expected.joined(separator: ", ")) at line \(pos.line + 1), char \(pos.char + 1)"
    }
}

/// A recursive-descent InfluxQL parser, ported from InfluxDB's so that what
/// parses, what does not and the words of the refusal are InfluxDB's.
///
/// Deep nesting is bounded (`maxDepth`): the fuzzer would otherwise find
/// the stack's end with `((((((...`.
public struct Parser {
    private var scanner: Scanner
    /// InfluxDB's parser buffers the last three tokens so that it can step
    /// back up to three times.
    private var buffer: [(Token, Position, String)] = Array(repeating: (.eof, Position(line: 0, char: 0), ""), count: 3)
    private var bufferIndex = 0
    private var unscanned = 0
    var depth = 0
    static let maxDepth = 500

    public init(_ text: String) {
        scanner = Scanner(text)
    }

    /// Parses every `;`-separated statement of `text`.
    public static func parseQuery(_ text: String) throws(ParseError) -> Query {
        var parser = Parser(text)
        return try parser.parseQuery()
    }

    public mutating func parseQuery() throws(ParseError) -> Query {
        var statements: [Statement] = []
        var semicolon = true
        while true {
            let (token, pos, literal) = scanIgnoreWhitespace()
            if token == .eof { return Query(statements: statements) }
            if token == .semicolon {
                semicolon = true
                continue
            }
            if !semicolon { throw ParseError(found: tokenText(token, literal), expected: [";"], at: pos) }
            unscan()
            statements.append(try parseStatement())
            semicolon = false
        }
    }

    // MARK: Tokens

    mutating func scan() -> (Token, Position, String) { buffered { $0.scan() } }

    mutating func unscan() { unscanned = min(unscanned + 1, 2) }

    mutating func scanRegexBuffered() -> (Token, Position, String) { buffered { $0.scanRegex() } }

    /// A token stepped back over, else the next one `read` takes.
    private mutating func buffered(_ read: (inout Scanner) -> (Token, Position, String)) -> (Token, Position, String) {
        if unscanned > 0 {
            unscanned -= 1
            return buffer[(bufferIndex - unscanned + 3) % 3]
        }
        bufferIndex = (bufferIndex + 1) % 3
        buffer[bufferIndex] = read(&scanner)
        return buffer[bufferIndex]
    }

    mutating func scanIgnoreWhitespace() -> (Token, Position, String) {
        while true {
            let result = scan()
            if result.0 == .ws || result.0 == .comment { continue }
            return result
        }
    }

    mutating func consumeWhitespace() {
        if scan().0 != .ws { unscan() }
    }

    /// The next scalar of the text (past any buffered token, as in InfluxDB).
    func peekRune() -> Unicode.Scalar { scanner.peek() }

    mutating func parseTokens(_ tokens: [Token]) throws(ParseError) {
        for expected in tokens {
            let (token, pos, literal) = scanIgnoreWhitespace()
            if token != expected { throw ParseError(found: tokenText(token, literal), expected: [expected.name], at: pos) }
        }
    }

    // MARK: Small pieces

    mutating func parseIdent() throws(ParseError) -> String {
        let (token, pos, literal) = scanIgnoreWhitespace()
        if token != .ident { throw ParseError(found: tokenText(token, literal), expected: ["identifier"], at: pos) }
        return literal
    }

    mutating func parseIdentList() throws(ParseError) -> [String] {
        var idents = [try parseIdent()]
        while true {
            if scanIgnoreWhitespace().0 != .comma {
                unscan()
                return idents
            }
            idents.append(try parseIdent())
        }
    }

    /// `db.rp.name`, `db..name`, `rp.name` or `name`.
    mutating func parseSegmentedIdents() throws(ParseError) -> [String] {
        var idents = [try parseIdent()]
        while true {
            if scan().0 != .dot {
                unscan()
                break
            }
            let next = peekRune()
            if next == "/" || next == ":" { break }
            if next == "." {
                idents.append("")
                continue
            }
            idents.append(try parseIdent())
        }
        if idents.count > 3 {
            // InfluxDB reports this one without a position (line 1, char 1).
            throw ParseError(message: "too many segments in \(ExprFormatter.quoteIdent(segments: idents))",
                             at: Position(line: 0, char: 0))
        }
        return idents
    }

    mutating func parseString() throws(ParseError) -> String {
        let (token, pos, literal) = scanIgnoreWhitespace()
        if token != .string { throw ParseError(found: tokenText(token, literal), expected: ["string"], at: pos) }
        return literal
    }

    /// `LIMIT n`, `OFFSET n` and friends when present, 0 otherwise.
    mutating func parseOptionalTokenAndInt(_ keyword: Token) throws(ParseError) -> Int {
        if scanIgnoreWhitespace().0 != keyword {
            unscan()
            return 0
        }
        let (token, pos, literal) = scanIgnoreWhitespace()
        if token != .integer { throw ParseError(found: tokenText(token, literal), expected: ["integer"], at: pos) }
        // InfluxDB ignores the conversion error here: an overflowing literal reads as 0... or
        // as Go's clamped value; both are "no limit" or huge, and huge is what we keep.
        return Int(literal) ?? Int.max
    }

    // MARK: Expressions

    public mutating func parseExpr() throws(ParseError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw ParseError("expression nested too deeply") }

        // InfluxDB's precedence climbing: a right spine of binary nodes.
        var operands: [Expr] = [try parseUnaryExpr()]
        var operators: [Token] = []
        while true {
            let (op, _, _) = scanIgnoreWhitespace()
            if !op.isOperator {
                unscan()
                return Parser.build(operands, operators)
            }
            let rhs: Expr
            if op.isRegexOperator {
                guard let regex = try parseRegex() else {
                    let (token, pos, literal) = scanIgnoreWhitespace()
                    throw ParseError(found: tokenText(token, literal), expected: ["regex"], at: pos)
                }
                rhs = regex
            } else {
                rhs = try parseUnaryExpr()
            }
            operands.append(rhs)
            operators.append(op)
        }
    }

    /// Builds the tree InfluxDB builds: each new operator descends the right
    /// spine while the operator there binds less tightly than it, so that
    /// equal precedence groups to the left.
    static func build(_ operands: [Expr], _ operators: [Token]) -> Expr {
        // A mutable right spine: spine[k] is (op, lhs) of the k-th binary node.
        guard var root = operands.first else { return .null }
        for (index, op) in operators.enumerated() {
            let rhs = operands[index + 1]
            root = insert(root, op, rhs)
        }
        return root
    }

    private static func insert(_ node: Expr, _ op: Token, _ rhs: Expr) -> Expr {
        if case .binary(let nodeOp, let lhs, let nodeRHS) = node, nodeOp.precedence < op.precedence {
            return .binary(nodeOp, lhs, insert(nodeRHS, op, rhs))
        }
        return .binary(op, node, rhs)
    }

    mutating func parseUnaryExpr() throws(ParseError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw ParseError("expression nested too deeply") }

        if scanIgnoreWhitespace().0 == .lparen {
            let inner = try parseExpr()
            let (token, pos, literal) = scanIgnoreWhitespace()
            if token != .rparen { throw ParseError(found: tokenText(token, literal), expected: [")"], at: pos) }
            return .paren(inner)
        }
        unscan()

        let (token, pos, literal) = scanIgnoreWhitespace()
        switch token {
        case .ident:
            if scan().0 == .lparen { return try parseCall(literal) }
            unscan()
            unscan()
            return try parseVarRef()
        case .distinct:
            let (next, nextPos, nextLiteral) = scan()
            if next == .lparen { return try parseCall("distinct") }
            if next == .ws {
                let (ident, identPos, identLiteral) = scanIgnoreWhitespace()
                if ident != .ident { throw ParseError(found: tokenText(ident, identLiteral), expected: ["identifier"], at: identPos) }
                return .distinct(identLiteral)
            }
            throw ParseError(found: tokenText(next, nextLiteral), expected: ["(", "identifier"], at: nextPos)
        case .string:
            return .string(literal)
        case .number:
            guard let value = Double(literal) else { throw ParseError(message: "unable to parse number", at: pos) }
            return .number(value)
        case .integer:
            if let value = Int64(literal) { return .integer(value) }
            if let value = UInt64(literal) { return .unsigned(value) }
            throw ParseError(message: "unable to parse integer", at: pos)
        case .true, .false:
            return .boolean(token == .true)
        case .durationValue:
            do {
                return .duration(try Duration.parse(literal))
            } catch {
                throw ParseError("\(error)")
            }
        case .mul:
            if scan().0 == .doubleColon {
                let (typeToken, typePos, typeLiteral) = scan()
                if typeToken == .field || typeToken == .tag { return .wildcard(typeToken) }
                throw ParseError(found: tokenText(typeToken, typeLiteral), expected: ["field", "tag"], at: typePos)
            }
            unscan()
            return .wildcard(nil)
        case .regex:
            do {
                return .regex(try InfluxRegex(literal))
            } catch {
                throw ParseError(message: "\(error)", at: pos)
            }
        case .boundParam:
            let key = String(literal.dropFirst())
            if key.isEmpty { throw ParseError("empty bound parameter") }
            throw ParseError("missing parameter: \(key)")
        case .add, .sub:
            let negative = token == .sub
            let (next, nextPos, nextLiteral) = scanIgnoreWhitespace()
            switch next {
            case .number, .integer, .durationValue, .lparen, .ident:
                unscan()
                let operand = try parseUnaryExpr()
                switch operand {
                case .number(let v): return .number(negative ? -v : v)
                case .integer(let v): return .integer(negative ? 0 &- v : v)
                case .unsigned(let v):
                    if negative {
                        if v == UInt64(Int64.max) + 1 { return .integer(Int64.min) }
                        throw ParseError("constant -\(v) underflows int64")
                    }
                    return .unsigned(v)
                case .duration(let v): return .duration(negative ? 0 &- v : v)
                case .varRef, .call, .paren:
                    return .binary(.mul, .integer(negative ? -1 : 1), operand)
                default:
                    // InfluxDB panics here ("unexpected literal"); refuse instead.
                    throw ParseError(found: operand.description, expected: ["identifier", "number", "duration", "("], at: nextPos)
                }
            default:
                throw ParseError(found: tokenText(next, nextLiteral), expected: ["identifier", "number", "duration", "("], at: nextPos)
            }
        default:
            throw ParseError(found: tokenText(token, literal), expected: ["identifier", "string", "number", "bool"], at: pos)
        }
    }

    mutating func parseVarRef() throws(ParseError) -> Expr {
        let segments = try parseSegmentedIdents()
        var type: VarType?
        if scan().0 == .doubleColon {
            let (token, pos, literal) = scan()
            switch token {
            case .ident:
                switch literal.lowercased() {
                case "float": type = .float
                case "integer": type = .integer
                case "unsigned": type = .unsigned
                case "string": type = .string
                case "boolean": type = .boolean
                default:
                    throw ParseError(found: tokenText(token, literal),
                                     expected: ["float", "integer", "unsigned", "string", "boolean", "field", "tag"], at: pos)
                }
            case .field: type = .field
            case .tag: type = .tag
            default:
                throw ParseError(found: tokenText(token, literal), expected: ["float", "integer", "string", "boolean", "field", "tag"], at: pos)
            }
        } else {
            unscan()
        }
        return .varRef(segments.joined(separator: "."), type)
    }

    /// A `/regex/` if the next non-space scalar is `/`, else nil.
    mutating func parseRegex() throws(ParseError) -> Expr? {
        // Like InfluxDB, this looks at the text past any token stepped back over.
        if isWhitespace(peekRune()) { consumeWhitespace() }
        guard peekRune() == "/" else { return nil }
        // Through the token buffer, as InfluxDB does: a token stepped back
        // over comes out here instead of the regex (and is refused below).
        let (token, pos, literal) = scanRegexBuffered()
        switch token {
        case .badEscape: throw ParseError(message: "bad escape: \(literal)", at: pos)
        case .badRegex: throw ParseError(message: "bad regex: \(literal)", at: pos)
        case .regex: break
        default: throw ParseError(found: tokenText(token, literal), expected: ["regex"], at: pos)
        }
        do {
            return .regex(try InfluxRegex(literal))
        } catch {
            throw ParseError(message: "\(error)", at: pos)
        }
    }

    /// The arguments of `name(`, the parenthesis consumed.
    mutating func parseCall(_ rawName: String) throws(ParseError) -> Expr {
        let name = rawName.lowercased()
        var args: [Expr] = []
        if let regex = try parseRegex() {
            args.append(regex)
        } else {
            if scan().0 == .rparen { return .call(name, []) }
            unscan()
            args.append(try parseExpr())
        }
        while true {
            if scanIgnoreWhitespace().0 != .comma {
                unscan()
                break
            }
            if let regex = try parseRegex() {
                args.append(regex)
                continue
            }
            args.append(try parseExpr())
        }
        let (token, pos, literal) = scan()
        if token != .rparen { throw ParseError(found: tokenText(token, literal), expected: [")"], at: pos) }
        return .call(name, args)
    }
}
