/// InfluxQL's lexer, a port of InfluxDB's: the same tokens from the same
/// characters, the same positions (counted in Unicode scalars, lines from 0),
/// so error messages point where InfluxDB's point.
///
/// The text is decoded once into scalars; reading past the end yields the
/// end-of-input scalar (NUL, which InfluxDB also treats as the end, so a NUL
/// inside a query ends it there too) and never traps.
struct Scanner {
    private var scalars: [Unicode.Scalar] = []
    private var positions: [Position] = []
    private var endPosition = Position(line: 0, char: 0)
    private(set) var index = 0

    static let eof: Unicode.Scalar = "\u{0}"

    init(_ text: String) {
        // Like InfluxDB's reader: "\r\n" and a lone "\r" read as "\n".
        var line = 0
        var char = 0
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            let normalized: Unicode.Scalar = scalar == "\r" ? "\n" : scalar
            scalars.append(normalized)
            positions.append(Position(line: line, char: char))
            if normalized == "\n" {
                line += 1
                char = 0
            } else {
                char += 1
            }
        }
        endPosition = Position(line: line, char: char)
    }

    /// The end reads at the end's position the first time and one further
    /// on every later time, as InfluxDB's reader counts it (so an error at
    /// the end says char N+1 or N+2 depending on how the parser got there).
    mutating func read() -> (Unicode.Scalar, Position) {
        defer { index += 1 }
        if index < scalars.count { return (scalars[index], positions[index]) }
        return (Scanner.eof, index == scalars.count ? endPosition : Position(line: endPosition.line, char: endPosition.char + 1))
    }

    mutating func unread() { index = max(0, index - 1) }

    /// The scalar most recently read and its position.
    func current() -> (Unicode.Scalar, Position) {
        let i = index - 1
        if i >= 0 && i < scalars.count { return (scalars[i], positions[i]) }
        if i < 0 { return (Scanner.eof, Position(line: 0, char: 0)) }
        return (Scanner.eof, i == scalars.count ? endPosition : Position(line: endPosition.line, char: endPosition.char + 1))
    }

    func peek() -> Unicode.Scalar { index < scalars.count ? scalars[index] : Scanner.eof }

    // MARK: Tokens

    mutating func scan() -> (Token, Position, String) {
        let (ch0, pos) = read()
        if isWhitespace(ch0) { return scanWhitespace() }
        if isLetter(ch0) || ch0 == "_" {
            unread()
            return scanIdent(lookup: true)
        }
        if isDigit(ch0) { return scanNumber() }
        switch ch0 {
        case Scanner.eof: return (.eof, pos, "")
        case "\"":
            unread()
            return scanIdent(lookup: true)
        case "'": return scanString()
        case ".":
            let (ch1, _) = read()
            unread()
            if isDigit(ch1) { return scanNumber() }
            return (.dot, pos, "")
        case "$":
            let (token, _, literal) = scanIdent(lookup: false)
            return (token == .ident ? .boundParam : token, pos, "$" + literal)
        case "+": return (.add, pos, "")
        case "-":
            let (ch1, _) = read()
            if ch1 == "-" {
                skipUntilNewline()
                return (.comment, pos, "")
            }
            unread()
            return (.sub, pos, "")
        case "*": return (.mul, pos, "")
        case "/":
            let (ch1, _) = read()
            if ch1 == "*" {
                return (skipUntilEndComment() ? .comment : .illegal, pos, "")
            }
            unread()
            return (.div, pos, "")
        case "%": return (.mod, pos, "")
        case "&": return (.bitwiseAnd, pos, "")
        case "|": return (.bitwiseOr, pos, "")
        case "^": return (.bitwiseXor, pos, "")
        case "=":
            if read().0 == "~" { return (.eqRegex, pos, "") }
            unread()
            return (.eq, pos, "")
        case "!":
            let (ch1, _) = read()
            if ch1 == "=" { return (.neq, pos, "") }
            if ch1 == "~" { return (.neqRegex, pos, "") }
            unread()
        case ">":
            if read().0 == "=" { return (.gte, pos, "") }
            unread()
            return (.gt, pos, "")
        case "<":
            let (ch1, _) = read()
            if ch1 == "=" { return (.lte, pos, "") }
            if ch1 == ">" { return (.neq, pos, "") }
            unread()
            return (.lt, pos, "")
        case "(": return (.lparen, pos, "")
        case ")": return (.rparen, pos, "")
        case ",": return (.comma, pos, "")
        case ";": return (.semicolon, pos, "")
        case ":":
            if read().0 == ":" { return (.doubleColon, pos, "") }
            unread()
            return (.colon, pos, "")
        default: break
        }
        return (.illegal, pos, String(Character(ch0)))
    }

    private mutating func scanWhitespace() -> (Token, Position, String) {
        let (first, pos) = current()
        var text = String(Character(first))
        while true {
            let (ch, _) = read()
            if ch == Scanner.eof { break }
            if !isWhitespace(ch) {
                unread()
                break
            }
            text.unicodeScalars.append(ch)
        }
        return (.ws, pos, text)
    }

    private mutating func skipUntilNewline() {
        while true {
            let (ch, _) = read()
            if ch == "\n" || ch == Scanner.eof { return }
        }
    }

    /// Skips a `/* */` comment; false if the input ends inside it.
    private mutating func skipUntilEndComment() -> Bool {
        while true {
            let (ch1, _) = read()
            if ch1 == "*" {
                while true {
                    let (ch2, _) = read()
                    if ch2 == "/" { return true }
                    if ch2 == "*" { continue }
                    if ch2 == Scanner.eof { return false }
                    break
                }
            } else if ch1 == Scanner.eof {
                return false
            }
        }
    }

    private mutating func scanIdent(lookup: Bool) -> (Token, Position, String) {
        let (_, pos) = read()
        unread()
        var text = ""
        while true {
            let (ch, _) = read()
            if ch == Scanner.eof { break }
            if ch == "\"" {
                let (token, tokenPos, literal) = scanString()
                if token == .badString || token == .badEscape { return (token, tokenPos, literal) }
                return (.ident, pos, literal)
            } else if isIdentChar(ch) {
                unread()
                text += scanBareIdent()
            } else {
                unread()
                break
            }
        }
        if lookup {
            let token = Token.lookup(text)
            if token != .ident { return (token, pos, "") }
        }
        return (.ident, pos, text)
    }

    private mutating func scanBareIdent() -> String {
        var text = ""
        while true {
            let (ch, _) = read()
            if ch == Scanner.eof { break }
            if !isIdentChar(ch) {
                unread()
                break
            }
            text.unicodeScalars.append(ch)
        }
        return text
    }

    /// A quoted string, the quote character just read. Escapes: `\n`, `\\`,
    /// `\"`, `\'`; any other is BADESCAPE, a newline or the end BADSTRING.
    /// The token's position is that of the character before the quote, as
    /// InfluxDB's reader reports it (its step back lands one too far).
    private mutating func scanString() -> (Token, Position, String) {
        let quoteIndex = index - 1
        let pos = quoteIndex >= 1 && quoteIndex - 1 < positions.count ? positions[quoteIndex - 1] : Position(line: 0, char: 0)
        let ending = quoteIndex >= 0 && quoteIndex < scalars.count ? scalars[quoteIndex] : Scanner.eof
        var text = ""
        while true {
            let (ch0, _) = read()
            if ch0 == ending { return (.string, pos, text) }
            if ch0 == Scanner.eof || ch0 == "\n" { return (.badString, pos, text) }
            if ch0 == "\\" {
                let (ch1, _) = read()
                switch ch1 {
                case "n": text += "\n"
                case "\\": text += "\\"
                case "\"": text += "\""
                case "'": text += "'"
                default:
                    let (_, escapePos) = current()
                    var literal = "\\"
                    if ch1 != Scanner.eof { literal.unicodeScalars.append(ch1) }
                    return (.badEscape, escapePos, literal)
                }
            } else {
                text.unicodeScalars.append(ch0)
            }
        }
    }

    /// A `/regex/`, the parser having seen that the next scalar is `/`.
    /// Only `\/` is an escape; other backslashes pass through to the regex.
    mutating func scanRegex() -> (Token, Position, String) {
        let (_, pos) = current()
        let (start, _) = read()
        guard start == "/" else { return (.badRegex, pos, "") }
        var text = ""
        while true {
            let (ch0, _) = read()
            if ch0 == "/" { return (.regex, pos, text) }
            if ch0 == Scanner.eof { return (.badRegex, pos, "") }
            if ch0 == "\n" { return (.badRegex, pos, "") }
            if ch0 == "\\" {
                let (ch1, _) = read()
                if ch1 == Scanner.eof { return (.badRegex, pos, "") }
                if ch1 == "/" {
                    text += "/"
                } else {
                    unread()
                    text += "\\"
                }
            } else {
                text.unicodeScalars.append(ch0)
            }
        }
    }

    private mutating func scanNumber() -> (Token, Position, String) {
        let (ch, pos) = current()
        if ch == "." {
            let (ch1, _) = read()
            unread()
            if !isDigit(ch1) { return (.illegal, pos, ".") }
            unread()
        } else {
            unread()
        }
        var text = scanDigits()
        var isDecimal = false
        let (ch0, _) = read()
        if ch0 == "." {
            isDecimal = true
            let (ch1, _) = read()
            if isDigit(ch1) {
                text += "."
                text.unicodeScalars.append(ch1)
                text += scanDigits()
            } else {
                unread()
            }
        } else {
            unread()
        }
        if !isDecimal {
            let (unit, _) = read()
            if isLetter(unit) || unit == "µ" {
                text.unicodeScalars.append(unit)
                while true {
                    let (ch1, _) = read()
                    if !isLetter(ch1) && ch1 != "µ" {
                        unread()
                        break
                    }
                    text.unicodeScalars.append(ch1)
                }
                while true {
                    let (ch1, _) = read()
                    if isLetter(ch1) || ch1 == "µ" || isDigit(ch1) {
                        text.unicodeScalars.append(ch1)
                    } else {
                        unread()
                        break
                    }
                }
                return (.durationValue, pos, text)
            }
            unread()
            return (.integer, pos, text)
        }
        return (.number, pos, text)
    }

    private mutating func scanDigits() -> String {
        var text = ""
        while true {
            let (ch, _) = read()
            if !isDigit(ch) {
                unread()
                break
            }
            text.unicodeScalars.append(ch)
        }
        return text
    }
}

func isWhitespace(_ ch: Unicode.Scalar) -> Bool { ch == " " || ch == "\t" || ch == "\n" }
func isLetter(_ ch: Unicode.Scalar) -> Bool { (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") }
func isDigit(_ ch: Unicode.Scalar) -> Bool { ch >= "0" && ch <= "9" }
func isIdentChar(_ ch: Unicode.Scalar) -> Bool { isLetter(ch) || isDigit(ch) || ch == "_" }
func isIdentFirstChar(_ ch: Unicode.Scalar) -> Bool { isLetter(ch) || ch == "_" }
