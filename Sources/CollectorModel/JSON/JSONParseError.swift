/// Why a JSON text was rejected, phrased for humans (logs, HTTP 400 bodies).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension JSONParseError {
    /// Line/column are computed only on failure so the happy path never counts newlines.
    static func at(
        _ offset: Int, in bytes: UnsafeBufferPointer<UInt8>, _ what: String
    ) -> JSONParseError {
        var line = 1
        var column = 1
        var index = 0
        let end = min(offset, bytes.count)
        while index < end {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if bytes[index] & 0xC0 != 0x80 {
                // Continuation bytes do not start a new column, so columns count characters.
                column += 1
            }
            index += 1
        }
        return JSONParseError(message: "\(what) at line \(line), column \(column)")
    }

    static func unexpectedByte(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> JSONParseError {
        guard offset < bytes.count else { return unexpectedEnd(in: bytes) }
        let byte = bytes[offset]
        let shown: String
        if byte >= 0x20 && byte < 0x7F {
            shown = "'\(Character(Unicode.Scalar(byte)))'"
        } else {
            shown = "byte 0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
        return at(offset, in: bytes, "Unexpected character \(shown)")
    }

    static func unexpectedEnd(in bytes: UnsafeBufferPointer<UInt8>) -> JSONParseError {
        at(bytes.count, in: bytes, "Unexpected end of input")
    }
}
