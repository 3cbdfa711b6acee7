/// Recursive descent over a contiguous byte buffer, strict as RFC 8259 and
/// Python's `json` (the legacy services' parser) are: no trailing commas,
/// no leading zeros, no unpaired surrogates, no number too large for a
/// double. Strings are built from whole runs between escapes, never a
/// character at a time.
struct JSONParser {
    /// Deeper nesting than any real body has, and far from the stack's
    /// limit (Foundation's parser stopped at the same depth).
    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw .unexpectedByte(index, in: bytes) }
        return value
    }

    // MARK: - Helpers

    @inline(__always)
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
    }

    /// Skips whitespace and returns the next byte without consuming it.
    private mutating func peekAfterWhitespace() throws(JSONParseError) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw .unexpectedEnd(in: bytes) }
        return bytes[index]
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        switch try peekAfterWhitespace() {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw .unexpectedByte(index, in: bytes)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        for offset in 0..<literal.utf8CodeUnitCount {
            guard start + offset < bytes.count else { throw .unexpectedEnd(in: bytes) }
            guard bytes[start + offset] == literal.utf8Start[offset] else {
                throw .unexpectedByte(start + offset, in: bytes)
            }
        }
        index = start + literal.utf8CodeUnitCount
    }

    private mutating func enterContainer() throws(JSONParseError) {
        guard depth < Self.maximumDepth else {
            throw .at(index, in: bytes, "Too many nested arrays or objects (limit \(Self.maximumDepth))")
        }
        depth += 1
        index += 1
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        if try peekAfterWhitespace() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            switch try peekAfterWhitespace() {
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            case UInt8(ascii: ","):
                index += 1
            default:
                throw .unexpectedByte(index, in: bytes)
            }
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        var members: [String: JSONValue] = [:]
        if try peekAfterWhitespace() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            guard try peekAfterWhitespace() == UInt8(ascii: "\"") else { throw .unexpectedByte(index, in: bytes) }
            let key = try parseString()
            guard try peekAfterWhitespace() == UInt8(ascii: ":") else { throw .unexpectedByte(index, in: bytes) }
            index += 1
            // The last of duplicate keys wins, as in Python.
            members[key] = try parseValue()
            switch try peekAfterWhitespace() {
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            case UInt8(ascii: ","):
                index += 1
            default:
                throw .unexpectedByte(index, in: bytes)
            }
        }
    }

    // MARK: - Strings

    /// Expects `index` on the opening quote.
    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        var segmentStart = index
        var result = ""
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                try appendSegment(segmentStart..<index, to: &result)
                index += 1
                return result
            }
            if byte < 0x20 {
                throw .at(index, in: bytes, "Unescaped control character in string")
            }
            if byte == UInt8(ascii: "\\") {
                try appendSegment(segmentStart..<index, to: &result)
                try parseEscape(into: &result)
                segmentStart = index
                continue
            }
            index += 1
        }
        throw .unexpectedEnd(in: bytes)
    }

    private func appendSegment(_ range: Range<Int>, to result: inout String) throws(JSONParseError) {
        guard !range.isEmpty else { return }
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw .at(range.lowerBound, in: bytes, "Invalid UTF-8 in string")
        }
        result += text
    }

    private mutating func parseEscape(into result: inout String) throws(JSONParseError) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else { throw .unexpectedEnd(in: bytes) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): result.unicodeScalars.append("\"")
        case UInt8(ascii: "\\"): result.unicodeScalars.append("\\")
        case UInt8(ascii: "/"): result.unicodeScalars.append("/")
        case UInt8(ascii: "b"): result.unicodeScalars.append("\u{08}")
        case UInt8(ascii: "f"): result.unicodeScalars.append("\u{0C}")
        case UInt8(ascii: "n"): result.unicodeScalars.append("\n")
        case UInt8(ascii: "r"): result.unicodeScalars.append("\r")
        case UInt8(ascii: "t"): result.unicodeScalars.append("\t")
        case UInt8(ascii: "u"):
            result.unicodeScalars.append(try parseUnicodeEscape(escapeStart: escapeStart))
        default:
            throw .at(escapeStart, in: bytes, "Invalid escape sequence in string")
        }
    }

    /// `index` is just past `\u`. A high surrogate must be followed directly
    /// by an escaped low surrogate: a lone one is no character.
    private mutating func parseUnicodeEscape(escapeStart: Int) throws(JSONParseError) -> Unicode.Scalar {
        let first = try parseHexQuad()
        if first & 0xFC00 == 0xD800 {
            guard index + 1 < bytes.count else { throw .unexpectedEnd(in: bytes) }
            guard bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw .at(escapeStart, in: bytes, "Unpaired high surrogate escape in string")
            }
            index += 2
            let second = try parseHexQuad()
            guard second & 0xFC00 == 0xDC00 else {
                throw .at(escapeStart, in: bytes, "Unpaired high surrogate escape in string")
            }
            let value = 0x10000 + (UInt32(first - 0xD800) << 10) + UInt32(second - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else {
                throw .at(escapeStart, in: bytes, "Invalid unicode escape in string")
            }
            return scalar
        }
        guard let scalar = Unicode.Scalar(UInt32(first)) else {
            throw .at(escapeStart, in: bytes, "Unpaired low surrogate escape in string")
        }
        return scalar
    }

    private mutating func parseHexQuad() throws(JSONParseError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw .unexpectedEnd(in: bytes) }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: throw .at(index + offset, in: bytes, "Invalid hex digit in unicode escape")
            }
            value = value << 4 | UInt16(nibble)
        }
        index += 4
        return value
    }

    // MARK: - Numbers

    /// RFC 8259's number grammar; the literal ends at white space or the
    /// next structural character.
    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var digitsInPart = 0
        var sawDot = false
        var sawExponent = false
        var sawExponentSign = false
        var leadingZero = false

        if bytes[index] == UInt8(ascii: "-") {
            index += 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if leadingZero { throw .at(index, in: bytes, "Number with leading zero") }
                if byte == UInt8(ascii: "0"), digitsInPart == 0, !sawDot, !sawExponent { leadingZero = true }
                digitsInPart += 1
            case UInt8(ascii: "."):
                guard digitsInPart > 0, !sawDot, !sawExponent else { throw .unexpectedByte(index, in: bytes) }
                sawDot = true
                leadingZero = false
                digitsInPart = 0
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard digitsInPart > 0, !sawExponent else { throw .unexpectedByte(index, in: bytes) }
                sawExponent = true
                leadingZero = false
                digitsInPart = 0
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard sawExponent, !sawExponentSign, digitsInPart == 0 else { throw .unexpectedByte(index, in: bytes) }
                sawExponentSign = true
            case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"):
                guard digitsInPart > 0 else { throw .unexpectedByte(index, in: bytes) }
                return try classifyNumber(start..<index)
            default:
                throw .unexpectedByte(index, in: bytes)
            }
            index += 1
        }
        guard digitsInPart > 0 else { throw .unexpectedEnd(in: bytes) }
        return try classifyNumber(start..<index)
    }

    /// An integer when the literal has neither fraction nor exponent and
    /// fits in Int64; else the double nearest to it, which must be finite.
    private func classifyNumber(_ range: Range<Int>) throws(JSONParseError) -> JSONValue {
        let literal = UnsafeBufferPointer(rebasing: bytes[range])
        let text = String(decoding: literal, as: UTF8.self)
        if !literal.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }),
           let integer = Int64(text) {
            return .integer(integer)
        }
        guard let double = Double(text), double.isFinite else {
            throw .at(range.lowerBound, in: bytes, "Number \(text.prefix(40)) is too large for a double")
        }
        return .float(double)
    }
}
