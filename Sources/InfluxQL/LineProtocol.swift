/// InfluxDB's line protocol, parsed the way InfluxDB 1.6 parses it.
///
///     measurement[,tag=value...] field=value[,field=value...] [timestamp]
///
/// The scanning below follows InfluxDB's own (`models/points.go`) step by
/// step rather than a cleaner grammar, because clients depend on its exact
/// edges: which escapes count where, that a quoted field value may hold
/// newlines, that `#` starts a comment, and above all which lines fail and
/// with which words, since a partial write is answered with those words.
/// Every index is checked: the body comes from the network, and the fuzzer
/// feeds it anything.
public enum LineProtocol {
    /// Largest measurement-plus-tags key InfluxDB accepts.
    public static let maxKeyLength = 65535

    /// Parses a `/write` body. Lines that fail are reported, not thrown: a
    /// body with some bad lines still stores its good ones, as InfluxDB does.
    ///
    /// - Parameters:
    ///   - precision: the unit of the timestamps in the body.
    ///   - now: nanoseconds since the epoch, given to lines without a
    ///     timestamp (truncated to `precision`, as InfluxDB does).
    ///   - unsignedIntegers: accept `1u` values. InfluxDB 1.6 refuses them
    ///     ("invalid number"); Collector accepts them by default.
    public static func parse(
        _ body: [UInt8], precision: Precision, now: Int64, unsignedIntegers: Bool = true
    ) -> (points: [InfluxPoint], errors: [LineError]) {
        var points: [InfluxPoint] = []
        var errors: [LineError] = []
        var position = 0
        var lineNumber = 1
        let defaultTime = now - mod(now, precision.nanoseconds)
        while position < body.count {
            let (end, blockStart) = (scanLine(body, position), position)
            let startLine = lineNumber
            lineNumber += body[blockStart..<end].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            position = end + 1
            if end < body.count { lineNumber += 1 }
            var block = Array(body[blockStart..<end])
            if block.isEmpty { continue }
            let start = skipWhitespace(block, 0)
            if start >= block.count || block[start] == UInt8(ascii: "#") { continue }
            if block.last == UInt8(ascii: "\n") { block.removeLast() }
            let line = Array(block[start...])
            do {
                points.append(try parsePoint(line, defaultTime: defaultTime, precision: precision, unsigned: unsignedIntegers))
            } catch let reason as LineReason {
                errors.append(LineError(line: startLine, text: String(decoding: line, as: UTF8.self), reason: reason.text))
            } catch {
                errors.append(LineError(line: startLine, text: String(decoding: line, as: UTF8.self), reason: "\(error)"))
            }
        }
        return (points, errors)
    }

    /// InfluxDB's text for a body's failed lines: one `unable to parse` per
    /// line, joined by newlines. Answer it alone (400) when no line parsed.
    public static func errorMessage(_ errors: [LineError]) -> String {
        errors.map(\.description).joined(separator: "\n")
    }

    /// The 400 answer's `error` when some lines were stored and others not:
    /// `partial write: <reason> dropped=<n>`. For parse failures InfluxDB
    /// reports `dropped=0` (it counts only points refused by the store).
    public static func partialWriteMessage(_ reason: String, dropped: Int) -> String {
        "partial write: \(reason) dropped=\(dropped)"
    }

    // MARK: - One line

    struct LineReason: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    static func parsePoint(_ buf: [UInt8], defaultTime: Int64, precision: Precision, unsigned: Bool) throws -> InfluxPoint {
        let (afterKey, key) = try scanKey(buf, 0)
        if key.isEmpty { throw LineReason("missing measurement") }
        if key.count > maxKeyLength { throw LineReason("max key length exceeded: \(key.count) > \(maxKeyLength)") }
        let (afterFields, fields) = try scanFields(buf, afterKey, unsigned: unsigned)
        if fields.isEmpty { throw LineReason("missing fields") }
        let parsedFields = try decodeFields(fields)
        // The scan reads `\\=` as an escaped backslash and `=`, the decoding
        // (as InfluxDB's) as an escaped `=`: a key that swallows its value
        // leaves no field, and a point without one is refused, not stored.
        if parsedFields.values.isEmpty { throw LineReason("missing fields") }
        for name in parsedFields.order {
            let size = key.count + 4 + name.utf8.count
            if size > maxKeyLength { throw LineReason("max key length exceeded: \(size) > \(maxKeyLength)") }
        }
        let (timestampEnd, timestamp) = try scanTime(buf, afterFields)
        var position = timestampEnd
        let (measurement, tags) = decodeKey(key)
        var time = defaultTime
        if !timestamp.isEmpty {
            let text = String(decoding: timestamp, as: UTF8.self)
            guard let value = Int64(text) else {
                throw LineReason("strconv.ParseInt: parsing \(goQuote(text)): \(rangeOrSyntax(text))")
            }
            let (product, overflow) = value.multipliedReportingOverflow(by: precision.nanoseconds)
            if overflow || product < minNanoTime || product > maxNanoTime {
                throw LineReason("time outside range \(minNanoTime) - \(maxNanoTime)")
            }
            time = product
            // Only spaces may follow the timestamp.
            while position < buf.count {
                if buf[position] != UInt8(ascii: " ") { throw LineReason("point is invalid") }
                position += 1
            }
        }
        return InfluxPoint(measurement: measurement, tags: tags, fields: parsedFields.values, time: time)
    }

    /// The smallest and largest times InfluxDB stores (the two extremes of
    /// Int64 are its sentinels).
    public static let minNanoTime = Int64.min + 2
    public static let maxNanoTime = Int64.max - 1

    // MARK: - Key: measurement and tags

    static func scanKey(_ buf: [UInt8], _ from: Int) throws -> (Int, [UInt8]) {
        let start = skipWhitespace(buf, from)
        var i = start
        var (state, next) = try scanMeasurement(buf, i)
        i = next
        var tagStarts: [Int] = []
        if state == .tagKey {
            (i, tagStarts) = try scanTags(buf, i)
        }
        _ = state
        state = .fields
        let key = Array(buf[start..<min(i, buf.count)])
        guard !tagStarts.isEmpty else { return (i, key) }
        // Tags must be unique; InfluxDB sorts them by key (byte order).
        var tags: [(key: [UInt8], raw: [UInt8])] = []
        for (index, tagStart) in tagStarts.enumerated() {
            let tagEnd = index + 1 < tagStarts.count ? tagStarts[index + 1] - 1 : i
            let raw = Array(buf[tagStart..<max(tagStart, tagEnd)])
            let (_, name) = scanTo(raw, 0, UInt8(ascii: "="))
            tags.append((name, raw))
        }
        let sorted = tags.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        for index in sorted.indices.dropFirst() where sorted[index].key == sorted[index - 1].key {
            throw LineReason("duplicate tags")
        }
        let measurementEnd = tagStarts[0] - 1
        var rebuilt = Array(buf[start..<measurementEnd])
        for tag in sorted {
            rebuilt.append(UInt8(ascii: ","))
            rebuilt.append(contentsOf: tag.raw)
        }
        return (i, rebuilt)
    }

    enum KeyState { case tagKey, tagValue, fields }

    static func scanMeasurement(_ buf: [UInt8], _ from: Int) throws -> (KeyState, Int) {
        var i = from
        if i >= buf.count || buf[i] == UInt8(ascii: ",") { throw LineReason("missing measurement") }
        while true {
            i += 1
            if i >= buf.count { throw LineReason("missing fields") }
            if buf[i - 1] == UInt8(ascii: "\\") { continue }
            if buf[i] == UInt8(ascii: ",") { return (.tagKey, i + 1) }
            if buf[i] == UInt8(ascii: " ") { return (.fields, i) }
        }
    }

    /// Returns the end of the tags (the space before the fields) and where
    /// each tag starts.
    static func scanTags(_ buf: [UInt8], _ from: Int) throws -> (Int, [Int]) {
        var i = from
        var starts: [Int] = []
        var state = KeyState.tagKey
        while true {
            switch state {
            case .tagKey:
                starts.append(i)
                i = try scanTagsKey(buf, i)
                state = .tagValue
            case .tagValue:
                (state, i) = try scanTagsValue(buf, i)
            case .fields:
                return (i, starts)
            }
        }
    }

    static func scanTagsKey(_ buf: [UInt8], _ from: Int) throws -> Int {
        var i = from
        if i >= buf.count || buf[i] == UInt8(ascii: " ") || buf[i] == UInt8(ascii: ",") || buf[i] == UInt8(ascii: "=") {
            throw LineReason("missing tag key")
        }
        while true {
            i += 1
            if i >= buf.count || ((buf[i] == UInt8(ascii: " ") || buf[i] == UInt8(ascii: ",")) && buf[i - 1] != UInt8(ascii: "\\")) {
                throw LineReason("missing tag value")
            }
            if buf[i] == UInt8(ascii: "=") && buf[i - 1] != UInt8(ascii: "\\") { return i + 1 }
        }
    }

    static func scanTagsValue(_ buf: [UInt8], _ from: Int) throws -> (KeyState, Int) {
        var i = from
        if i >= buf.count || buf[i] == UInt8(ascii: ",") || buf[i] == UInt8(ascii: " ") {
            throw LineReason("missing tag value")
        }
        while true {
            i += 1
            if i >= buf.count { throw LineReason("missing fields") }
            let escaped = buf[i - 1] == UInt8(ascii: "\\")
            if buf[i] == UInt8(ascii: "=") && !escaped { throw LineReason("invalid tag format") }
            if buf[i] == UInt8(ascii: ",") && !escaped { return (.tagKey, i + 1) }
            if buf[i] == UInt8(ascii: " ") && !escaped { return (.fields, i) }
        }
    }

    /// Splits a (sorted) key into the measurement and tags, unescaping each
    /// part with the escapes its place allows.
    static func decodeKey(_ key: [UInt8]) -> (String, [String: String]) {
        let (end, name) = scanTo(key, 0, UInt8(ascii: ","))
        let measurement = String(decoding: unescape(name, [UInt8(ascii: ","), UInt8(ascii: " ")]), as: UTF8.self)
        var tags: [String: String] = [:]
        var i = end + 1
        let tagEscapes: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "=")]
        while i < key.count {
            let (keyEnd, tagKey) = scanTo(key, i, UInt8(ascii: "="))
            var j = keyEnd + 1
            let valueStart = j
            while j < key.count {
                if key[j] == UInt8(ascii: ",") && j > 0 && key[j - 1] != UInt8(ascii: "\\") { break }
                j += 1
            }
            let value = valueStart < key.count ? Array(key[valueStart..<j]) : []
            i = j + 1
            if value.isEmpty { continue }
            tags[String(decoding: unescape(tagKey, tagEscapes), as: UTF8.self)] =
                String(decoding: unescape(value, tagEscapes), as: UTF8.self)
        }
        return (measurement, tags)
    }

    /// Replaces `\c` by `c` for each escapable `c` in turn, as InfluxDB's
    /// `bytes.Replace` sequence does (so `\\,` becomes `\,`).
    static func unescape(_ bytes: [UInt8], _ escapable: [UInt8]) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "\\")) else { return bytes }
        var result = bytes
        for character in escapable {
            var out: [UInt8] = []
            out.reserveCapacity(result.count)
            var i = 0
            while i < result.count {
                if result[i] == UInt8(ascii: "\\") && i + 1 < result.count && result[i + 1] == character {
                    out.append(character)
                    i += 2
                } else {
                    out.append(result[i])
                    i += 1
                }
            }
            result = out
        }
        return result
    }

    // MARK: - Fields

    static func scanFields(_ buf: [UInt8], _ from: Int, unsigned: Bool) throws -> (Int, [UInt8]) {
        let start = skipWhitespace(buf, from)
        var i = start
        var quoted = false
        var equals = 0
        var commas = 0
        while i < buf.count {
            if buf[i] == UInt8(ascii: "\\") && i + 1 < buf.count {
                i += 2
                continue
            }
            if buf[i] == UInt8(ascii: "\"") && equals > commas {
                quoted.toggle()
                i += 1
                continue
            }
            if buf[i] == UInt8(ascii: "=") && !quoted {
                equals += 1
                let before = i >= 1 ? buf[i - 1] : 0
                let beforeThat = i >= 2 ? buf[i - 2] : 0
                if before == UInt8(ascii: " ") && beforeThat != UInt8(ascii: "\\") { throw LineReason("missing field key") }
                if before == UInt8(ascii: ",") && beforeThat != UInt8(ascii: "\\") { throw LineReason("missing field key") }
                if i + 1 >= buf.count { throw LineReason("missing field value") }
                let next = buf[i + 1]
                if next == UInt8(ascii: ",") || next == UInt8(ascii: " ") { throw LineReason("missing field value") }
                if isNumeric(next) || next == UInt8(ascii: "-") || next == UInt8(ascii: "N") || next == UInt8(ascii: "n") {
                    i = try scanNumber(buf, i + 1, unsigned: unsigned)
                    continue
                }
                if next != UInt8(ascii: "\"") {
                    i = try scanBoolean(buf, i + 1)
                    continue
                }
            }
            if buf[i] == UInt8(ascii: ",") && !quoted { commas += 1 }
            if buf[i] == UInt8(ascii: " ") && !quoted { break }
            i += 1
        }
        if quoted { throw LineReason("unbalanced quotes") }
        if equals == 0 || commas != equals - 1 { throw LineReason("invalid field format") }
        return (i, Array(buf[start..<min(i, buf.count)]))
    }

    static func isNumeric(_ b: UInt8) -> Bool { (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") }

    static func scanNumber(_ buf: [UInt8], _ from: Int, unsigned allowUnsigned: Bool) throws -> Int {
        let start = from
        var i = from
        var isInt = false
        var isUnsigned = false
        if i < buf.count && buf[i] == UInt8(ascii: "-") {
            i += 1
            if i == buf.count { throw LineReason("invalid number") }
        }
        var decimal = false
        var scientific = false
        while i < buf.count {
            let c = buf[i]
            if c == UInt8(ascii: ",") || c == UInt8(ascii: " ") { break }
            if c == UInt8(ascii: "i") && i > start && !(isInt || isUnsigned) {
                isInt = true
                i += 1
                continue
            } else if c == UInt8(ascii: "u") && i > start && !(isInt || isUnsigned) {
                isUnsigned = true
                i += 1
                continue
            }
            if c == UInt8(ascii: ".") {
                if decimal { throw LineReason("invalid number") }
                decimal = true
            }
            if i > start && (c == UInt8(ascii: "e") || c == UInt8(ascii: "E")) {
                scientific = true
                i += 1
                continue
            }
            if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && i > 0 && (buf[i - 1] == UInt8(ascii: "e") || buf[i - 1] == UInt8(ascii: "E")) {
                i += 1
                continue
            }
            if i + 2 < buf.count && (c == UInt8(ascii: "N") || c == UInt8(ascii: "n")) { throw LineReason("invalid number") }
            if !isNumeric(c) { throw LineReason("invalid number") }
            i += 1
        }
        if (isInt || isUnsigned) && (decimal || scientific) { throw LineReason("invalid number") }
        var digits = i - start
        if isInt { digits -= 1 }
        if decimal { digits -= 1 }
        if start < buf.count && buf[start] == UInt8(ascii: "-") { digits -= 1 }
        if digits == 0 { throw LineReason("invalid number") }
        let text = String(decoding: buf[start..<i], as: UTF8.self)
        if isInt {
            if buf[i - 1] != UInt8(ascii: "i") { throw LineReason("invalid number") }
            let number = String(text.dropLast())
            if Int64(number) == nil {
                throw LineReason("unable to parse integer \(number): strconv.ParseInt: parsing \(goQuote(number)): \(rangeOrSyntax(number))")
            }
        } else if isUnsigned {
            if !allowUnsigned { throw LineReason("invalid number") }
            if buf[i - 1] != UInt8(ascii: "u") { throw LineReason("invalid number") }
            if buf[start] == UInt8(ascii: "-") { throw LineReason("invalid number") }
            let number = String(text.dropLast())
            if UInt64(number) == nil {
                throw LineReason("unable to parse unsigned \(number): strconv.ParseUint: parsing \(goQuote(number)): \(rangeOrSyntax(number))")
            }
        } else if parseFloat(text) == nil {
            throw LineReason("invalid float")
        }
        return i
    }

    static func rangeOrSyntax(_ number: String) -> String {
        let digits = number.hasPrefix("-") ? number.dropFirst() : Substring(number)
        return !digits.isEmpty && digits.allSatisfy({ $0.isASCII && $0.isNumber }) ? "value out of range" : "invalid syntax"
    }

    /// Go's `strconv.ParseFloat` on what `scanNumber` let through: digits,
    /// one dot, an exponent. Overflow to infinity is an error there.
    static func parseFloat(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    static func scanBoolean(_ buf: [UInt8], _ from: Int) throws -> Int {
        let start = from
        var i = from
        if i < buf.count && ![UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "T"), UInt8(ascii: "F")].contains(buf[i]) {
            throw LineReason("invalid boolean")
        }
        i += 1
        while i < buf.count && buf[i] != UInt8(ascii: ",") && buf[i] != UInt8(ascii: " ") { i += 1 }
        if i - start == 1 { return i }
        let word = String(decoding: buf[start..<min(i, buf.count)], as: UTF8.self)
        guard ["true", "True", "TRUE", "false", "False", "FALSE"].contains(word) else { throw LineReason("invalid boolean") }
        return i
    }

    /// Decodes a scanned field section into typed values; the scan has
    /// already checked the syntax, so this only splits and converts.
    static func decodeFields(_ fields: [UInt8]) throws -> (values: [String: InfluxValue], order: [String]) {
        var values: [String: InfluxValue] = [:]
        var order: [String] = []
        var position = 0
        while position < fields.count {
            let (keyEnd, rawKey) = scanTo(fields, position, UInt8(ascii: "="))
            let (valueEnd, raw) = scanFieldValue(fields, keyEnd + 1)
            position = valueEnd + 1
            let name = String(decoding: unescapeFieldKey(rawKey), as: UTF8.self)
            guard let first = raw.first else { continue }
            let value: InfluxValue
            if first == UInt8(ascii: "\"") {
                let inner = raw.count >= 2 ? Array(raw[1..<(raw.count - 1)]) : []
                value = .string(String(decoding: unescapeStringField(inner), as: UTF8.self))
            } else if Array("0123456789-.nNiIu".utf8).contains(first) {
                let text = String(decoding: raw, as: UTF8.self)
                if raw.last == UInt8(ascii: "i") {
                    guard let v = Int64(text.dropLast()) else { throw LineReason("invalid number") }
                    value = .integer(v)
                } else if raw.last == UInt8(ascii: "u") {
                    guard let v = UInt64(text.dropLast()) else { throw LineReason("invalid number") }
                    value = .unsigned(v)
                } else {
                    guard let v = parseFloat(text) else { throw LineReason("invalid number") }
                    value = .float(v)
                }
            } else {
                value = .boolean(first == UInt8(ascii: "t") || first == UInt8(ascii: "T"))
            }
            if values.updateValue(value, forKey: name) == nil { order.append(name) }
        }
        return (values, order)
    }

    /// Field keys may escape `,`, `"`, space and `=`.
    static func unescapeFieldKey(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") && i + 1 < bytes.count && Array(",\" =".utf8).contains(bytes[i + 1]) {
                out.append(bytes[i + 1])
                i += 2
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// String field values escape only `"` and `\`.
    static func unescapeStringField(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") && i + 1 < bytes.count && (bytes[i + 1] == UInt8(ascii: "\\") || bytes[i + 1] == UInt8(ascii: "\"")) {
                out.append(bytes[i + 1])
                i += 2
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    static func scanFieldValue(_ buf: [UInt8], _ from: Int) -> (Int, [UInt8]) {
        var i = from
        var quoted = false
        while i < buf.count {
            if buf[i] == UInt8(ascii: "\\") && i + 1 < buf.count && (buf[i + 1] == UInt8(ascii: "\"") || buf[i + 1] == UInt8(ascii: "\\")) {
                i += 2
                continue
            }
            if buf[i] == UInt8(ascii: "\"") {
                i += 1
                quoted.toggle()
                continue
            }
            if buf[i] == UInt8(ascii: ",") && !quoted { break }
            i += 1
        }
        let end = min(i, buf.count)
        return (i, from < end ? Array(buf[from..<end]) : [])
    }

    // MARK: - Timestamp and line splitting

    static func scanTime(_ buf: [UInt8], _ from: Int) throws -> (Int, [UInt8]) {
        let start = skipWhitespace(buf, from)
        var i = start
        while i < buf.count {
            let c = buf[i]
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: " ") { break }
            if i == start && c == UInt8(ascii: "-") {
                i += 1
                continue
            }
            if c < UInt8(ascii: "0") || c > UInt8(ascii: "9") { throw LineReason("bad timestamp") }
            i += 1
        }
        return (i, start < i ? Array(buf[start..<i]) : [])
    }

    static func skipWhitespace(_ buf: [UInt8], _ from: Int) -> Int {
        var i = from
        while i < buf.count && (buf[i] == UInt8(ascii: " ") || buf[i] == UInt8(ascii: "\t") || buf[i] == 0) { i += 1 }
        return i
    }

    /// The end of the line starting at `from`: the next newline outside a
    /// quoted field value (string fields may hold newlines).
    static func scanLine(_ buf: [UInt8], _ from: Int) -> Int {
        var i = from
        var quoted = false
        var fields = false
        var equals = 0
        var commas = 0
        while i < buf.count {
            if buf[i] == UInt8(ascii: "\\") && i + 2 < buf.count {
                i += 2
                continue
            }
            if buf[i] == UInt8(ascii: " ") { fields = true }
            if fields {
                if !quoted && buf[i] == UInt8(ascii: "=") {
                    i += 1
                    equals += 1
                    continue
                } else if !quoted && buf[i] == UInt8(ascii: ",") {
                    i += 1
                    commas += 1
                    continue
                } else if buf[i] == UInt8(ascii: "\"") && equals > commas {
                    i += 1
                    quoted.toggle()
                    continue
                }
            }
            if buf[i] == UInt8(ascii: "\n") && !quoted { break }
            i += 1
        }
        return min(i, buf.count)
    }

    /// The bytes from `from` up to the next `stop` not preceded by a backslash.
    static func scanTo(_ buf: [UInt8], _ from: Int, _ stop: UInt8) -> (Int, [UInt8]) {
        var i = from
        while i < buf.count {
            if buf[i] == stop && (i == 0 || buf[i - 1] != UInt8(ascii: "\\")) { break }
            i += 1
        }
        return (i, from < i ? Array(buf[from..<i]) : [])
    }

    static func mod(_ a: Int64, _ b: Int64) -> Int64 {
        let r = a % b
        return r < 0 ? r + b : r
    }

    /// Go's `%q` for the ASCII text strconv errors quote.
    static func goQuote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(format: "\\x%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// A line the parser refused, with InfluxDB's words for why.
public struct LineError: Sendable, Hashable, Error, CustomStringConvertible {
    /// 1-based line number of the line's start in the body.
    public var line: Int
    /// The line as InfluxDB quotes it (leading whitespace removed).
    public var text: String
    /// InfluxDB's reason, e.g. `missing fields`, `invalid number`.
    public var reason: String

    public init(line: Int, text: String, reason: String) {
        self.line = line
        self.text = text
        self.reason = reason
    }

    /// `unable to parse '<line>': <reason>`, as InfluxDB writes it.
    public var description: String { "unable to parse '\(text)': \(reason)" }
}
