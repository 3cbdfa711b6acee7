/// InfluxDB 1.x's JSON answers, byte for byte where clients could notice:
/// key order, omitted empty members, Go's float spelling, times as RFC 3339
/// strings or, with `epoch=`, integers in the asked unit.
public enum ResponseWriter {
    /// `{"results":[...]}` for a whole query (one line, no trailing newline).
    public static func json(_ results: [StatementResult], epoch: String? = nil) -> String {
        var out = "{\"results\":["
        for (index, result) in results.enumerated() {
            if index > 0 { out += "," }
            write(result, epoch: epoch, into: &out)
        }
        return out + "]}"
    }

    /// `chunked=true`: one `{"results":[...]}` object per line, each holding
    /// one statement's result with one series of at most `chunkSize` rows
    /// (a series cut in pieces has `"partial":true` on all but its last).
    /// A statement without series is one line with its id (and error).
    public static func chunks(_ results: [StatementResult], epoch: String? = nil, chunkSize: Int = 10_000) -> [String] {
        var lines: [String] = []
        let size = max(1, chunkSize)
        for result in results {
            if result.error != nil || result.series.isEmpty {
                lines.append(json([result], epoch: epoch))
                continue
            }
            // Every chunk of a statement but its last says "partial"; so
            // does a series cut in pieces, on all but its last piece.
            var pieces: [ResultSeries] = []
            for series in result.series {
                var start = 0
                repeat {
                    let end = min(series.values.count, start + size)
                    var piece = series
                    piece.values = Array(series.values[start..<end])
                    piece.partial = end < series.values.count
                    pieces.append(piece)
                    start = end
                } while start < series.values.count
            }
            for (index, piece) in pieces.enumerated() {
                var chunk = StatementResult(statementID: result.statementID, series: [piece])
                chunk.messages = result.messages
                chunk.partial = index < pieces.count - 1
                lines.append(json([chunk], epoch: epoch))
            }
        }
        return lines
    }

    /// The body of a refused request: `{"error":"..."}`.
    public static func error(_ message: String) -> String {
        "{\"error\":" + quote(message) + "}"
    }

    static func write(_ result: StatementResult, epoch: String?, into out: inout String) {
        out += "{\"statement_id\":\(result.statementID)"
        if !result.series.isEmpty {
            out += ",\"series\":["
            for (index, series) in result.series.enumerated() {
                if index > 0 { out += "," }
                write(series, epoch: epoch, into: &out)
            }
            out += "]"
        }
        if !result.messages.isEmpty {
            out += ",\"messages\":["
            out += result.messages.map { "{\"level\":" + quote($0.level) + ",\"text\":" + quote($0.text) + "}" }.joined(separator: ",")
            out += "]"
        }
        if result.partial { out += ",\"partial\":true" }
        if let error = result.error { out += ",\"error\":" + quote(error) }
        out += "}"
    }

    static func write(_ series: ResultSeries, epoch: String?, into out: inout String) {
        var members: [String] = []
        if let name = series.name, !name.isEmpty { members.append("\"name\":" + quote(name)) }
        if let tags = series.tags, !tags.isEmpty {
            members.append("\"tags\":{" + tags.sorted { $0.key < $1.key }.map { quote($0.key) + ":" + quote($0.value) }.joined(separator: ",") + "}")
        }
        if !series.columns.isEmpty { members.append("\"columns\":[" + series.columns.map(quote).joined(separator: ",") + "]") }
        if !series.values.isEmpty {
            var values = "\"values\":["
            for (index, row) in series.values.enumerated() {
                if index > 0 { values += "," }
                values += "["
                for (column, value) in row.enumerated() {
                    if column > 0 { values += "," }
                    values += encode(value, epoch: epoch)
                }
                values += "]"
            }
            members.append(values + "]")
        }
        if series.partial { members.append("\"partial\":true") }
        out += "{" + members.joined(separator: ",") + "}"
    }

    static func encode(_ value: ResultValue, epoch: String?) -> String {
        switch value {
        case .null: return "null"
        case .float(let v): return GoFloat.json(v)
        case .integer(let v): return String(v)
        case .unsigned(let v): return String(v)
        case .string(let v): return quote(v)
        case .boolean(let v): return v ? "true" : "false"
        case .time(let ns, let offset):
            if let epoch, !epoch.isEmpty {
                // Go's integer division: truncates toward zero, before 1970 too.
                return String(ns / Precision(parameter: epoch).nanoseconds)
            }
            return "\"" + TimeFormat.rfc3339Nano(ns, offsetSeconds: offset) + "\""
        }
    }

    /// A JSON string as Go's encoder writes it: `<`, `>` and `&` escaped as
    /// `\u003c`..., invalid UTF-8 already replaced when the String was made.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Go's spelling of a float64 in JSON: the shortest digits that read back
/// exactly, plain notation between 1e-6 and 1e21, exponent (`1e-07` written
/// `1e-7`) outside.
enum GoFloat {
    static func json(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == 0 { return v.sign == .minus ? "-0" : "0" }
        let magnitude = abs(v)
        // Most values: Swift's shortest round-trip digits are Go's, and
        // where Swift writes them without an exponent Go does too, less
        // Swift's ".0" on whole numbers. Only the rest is rebuilt digit by
        // digit below.
        if magnitude >= 1e-6 && magnitude < 1e21 {
            let text = v.description
            if !text.utf8.contains(UInt8(ascii: "e")) {
                return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
            }
        }
        let (negative, digits, exponent) = decompose(v)
        var out = negative ? "-" : ""
        if magnitude < 1e-6 || magnitude >= 1e21 {
            // d.ddde±x
            out += String(digits.first ?? "0")
            if digits.count > 1 { out += "." + digits.dropFirst() }
            let e = exponent - 1
            out += e < 0 ? "e-" : "e+"
            out += String(abs(e))
            return out
        }
        // Plain: digits × 10^(exponent - digits.count), decimal point placed.
        if exponent <= 0 {
            out += "0." + String(repeating: "0", count: -exponent) + digits
        } else if exponent >= digits.count {
            out += digits + String(repeating: "0", count: exponent - digits.count)
        } else {
            let index = digits.index(digits.startIndex, offsetBy: exponent)
            out += digits[..<index] + "." + digits[index...]
        }
        return out
    }

    /// Shortest round-trip digits (no leading/trailing zeros) and the
    /// decimal exponent such that value = 0.digits × 10^exponent.
    static func decompose(_ v: Double) -> (Bool, String, Int) {
        let text = "\(abs(v))"  // Swift prints the shortest round-trip form
        var mantissa = text
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var integerPart = mantissa
        var fractionPart = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = String(mantissa[..<dot])
            fractionPart = String(mantissa[mantissa.index(after: dot)...])
        }
        var digits = integerPart + fractionPart
        var pointPosition = integerPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (v < 0, digits, pointPosition)
    }
}
