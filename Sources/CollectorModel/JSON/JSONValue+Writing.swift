extension JSONValue {
    /// Compact JSON, keys sorted by code point (as Python's
    /// `sort_keys=True`), so equal values are equal text. `/` is escaped as
    /// `\/` unless `escapingSlashes` is false. A float that is not finite
    /// (the parser never makes one) is written as `null`.
    public func text(escapingSlashes: Bool = true) -> String {
        var writer = JSONWriter(escapingSlashes: escapingSlashes)
        writer.write(self)
        return String(decoding: writer.output, as: UTF8.self)
    }
}

/// Appends UTF-8 into one growing buffer; building a String piecewise would
/// re-check encoding on every append.
struct JSONWriter {
    var output: [UInt8] = []
    let escapingSlashes: Bool

    init(escapingSlashes: Bool) {
        self.escapingSlashes = escapingSlashes
        output.reserveCapacity(256)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null:
            append("null")
        case .bool(let flag):
            append(flag ? "true" : "false")
        case .integer(let number):
            append(String(number))
        case .float(let number):
            writeDouble(number)
        case .string(let text):
            writeString(text)
        case .array(let elements):
            output.reserveCapacity(output.count + elements.count * 4 + 2)
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                write(element)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.reserveCapacity(output.count + members.count * 8 + 2)
            output.append(UInt8(ascii: "{"))
            // UTF-8 byte order is code point order.
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (position, member) in sorted.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key)
                output.append(UInt8(ascii: ":"))
                write(member.value)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private mutating func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    /// The shortest text that reads back as the same double, without a
    /// trailing ".0" (`100`, `0.1`, `1e+300`), as Foundation wrote it.
    private mutating func writeDouble(_ number: Double) {
        guard number.isFinite else {
            append("null")
            return
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        append(text)
    }

    /// Only ASCII is ever escaped, so the UTF-8 bytes are walked directly.
    private mutating func writeString(_ text: String) {
        output.reserveCapacity(output.count + text.utf8.count + 2)
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
            case UInt8(ascii: "/"):
                if escapingSlashes { output.append(0x5C) }
                output.append(0x2F)
            case 0x08: output.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                           hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
