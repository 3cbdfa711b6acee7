/// Full-string matchers equivalent to the regular expressions of Yams's default resolver rules.
///
/// Each pattern is deterministic (its greedy runs are followed by characters they cannot contain),
/// so a single left-to-right scan decides a match without backtracking.
struct TagPatterns {
    private let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    // ^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$
    var isBool: Bool {
        switch String(decoding: bytes, as: UTF8.self) {
        case "yes", "Yes", "YES", "no", "No", "NO",
             "true", "True", "TRUE", "false", "False", "FALSE",
             "on", "On", "ON", "off", "Off", "OFF":
            return true
        default:
            return false
        }
    }

    // ^(?:~|null|Null|NULL|)$
    var isNull: Bool {
        switch String(decoding: bytes, as: UTF8.self) {
        case "~", "null", "Null", "NULL", "":
            return true
        default:
            return false
        }
    }

    // ^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+
    //    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$
    var isInt: Bool {
        var rest = bytes[...]
        if let first = rest.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            rest = rest.dropFirst()
        }
        guard let first = rest.first else { return false }
        if first == UInt8(ascii: "0") {
            let tail = rest.dropFirst()
            if tail.isEmpty { return true }
            switch tail.first {
            case UInt8(ascii: "b"):
                return Self.all(tail.dropFirst(), nonEmpty: true) { $0 == 0x30 || $0 == 0x31 || $0 == 0x5F }
            case UInt8(ascii: "x"):
                return Self.all(tail.dropFirst(), nonEmpty: true) { Self.isHexDigit($0) || $0 == 0x5F }
            case UInt8(ascii: "o"):
                return Self.all(tail.dropFirst(), nonEmpty: true) { Self.isOctalDigit($0) || $0 == 0x5F }
            default:
                return Self.all(tail, nonEmpty: true) { Self.isOctalDigit($0) || $0 == 0x5F }
            }
        }
        guard Self.isDigit(first) else { return false }
        let body = rest.dropFirst()
        guard let colon = body.firstIndex(of: UInt8(ascii: ":")) else {
            return Self.all(body, nonEmpty: false) { Self.isDigit($0) || $0 == 0x5F }
        }
        guard Self.all(body[..<colon], nonEmpty: false, { Self.isDigit($0) || $0 == 0x5F }) else { return false }
        var cursor = colon
        return Self.scanSexagesimalGroups(body, &cursor) && cursor == body.endIndex
    }

    // ^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?
    //    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$
    var isFloat: Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
             ".nan", ".NaN", ".NAN":
            return true
        default:
            break
        }
        return isDecimalFloat || isBareFractionFloat || isSexagesimalFloat
    }

    // [-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?
    private var isDecimalFloat: Bool {
        var cursor = signSkipped
        guard cursor < bytes.endIndex, Self.isDigit(bytes[cursor]) else { return false }
        cursor = skip(from: cursor + 1) { Self.isDigit($0) || $0 == 0x5F }
        if cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: ".") {
            cursor = skip(from: cursor + 1) { Self.isDigit($0) || $0 == 0x5F }
        }
        if cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: "e") || bytes[cursor] == UInt8(ascii: "E") {
            cursor += 1
            if cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: "-") || bytes[cursor] == UInt8(ascii: "+") {
                cursor += 1
            }
            let digitsStart = cursor
            cursor = skip(from: cursor, while: Self.isDigit)
            guard cursor > digitsStart else { return false }
        }
        return cursor == bytes.endIndex
    }

    // \.[0-9_]+([eE][-+][0-9]+)?
    private var isBareFractionFloat: Bool {
        guard bytes.first == UInt8(ascii: ".") else { return false }
        let start = 1
        var cursor = skip(from: start) { Self.isDigit($0) || $0 == 0x5F }
        guard cursor > start else { return false }
        if cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: "e") || bytes[cursor] == UInt8(ascii: "E") {
            cursor += 1
            guard cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: "-") || bytes[cursor] == UInt8(ascii: "+") else {
                return false
            }
            let digitsStart = cursor + 1
            cursor = skip(from: digitsStart, while: Self.isDigit)
            guard cursor > digitsStart else { return false }
        }
        return cursor == bytes.endIndex
    }

    // [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
    private var isSexagesimalFloat: Bool {
        var cursor = signSkipped
        guard cursor < bytes.endIndex, Self.isDigit(bytes[cursor]) else { return false }
        cursor = skip(from: cursor + 1) { Self.isDigit($0) || $0 == 0x5F }
        guard cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: ":") else { return false }
        let all = bytes[...]
        guard Self.scanSexagesimalGroups(all, &cursor) else { return false }
        guard cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: ".") else { return false }
        cursor = skip(from: cursor + 1) { Self.isDigit($0) || $0 == 0x5F }
        return cursor == bytes.endIndex
    }

    // ^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?
    //    :[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9]{2})?))?)$
    var isTimestamp: Bool {
        var cursor = 0
        guard digits(&cursor, min: 4, max: 4), literal(&cursor, "-") else { return false }
        guard digits(&cursor, min: 1, max: 2), literal(&cursor, "-") else { return false }
        let dayStart = cursor
        guard digits(&cursor, min: 1, max: 2) else { return false }
        if cursor == bytes.endIndex {
            // The date-only form needs two-digit month and day.
            return cursor - dayStart == 2 && dayStart == 8
        }
        if bytes[cursor] == UInt8(ascii: "T") || bytes[cursor] == UInt8(ascii: "t") {
            cursor += 1
        } else {
            let start = cursor
            cursor = skip(from: cursor, while: Self.isBlank)
            guard cursor > start else { return false }
        }
        guard digits(&cursor, min: 1, max: 2), literal(&cursor, ":") else { return false }
        guard digits(&cursor, min: 2, max: 2), literal(&cursor, ":") else { return false }
        guard digits(&cursor, min: 2, max: 2) else { return false }
        if cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: ".") {
            cursor = skip(from: cursor + 1, while: Self.isDigit)
        }
        if cursor == bytes.endIndex { return true }
        cursor = skip(from: cursor, while: Self.isBlank)
        guard cursor < bytes.endIndex else { return false }
        if bytes[cursor] == UInt8(ascii: "Z") {
            return cursor + 1 == bytes.endIndex
        }
        guard bytes[cursor] == UInt8(ascii: "-") || bytes[cursor] == UInt8(ascii: "+") else { return false }
        cursor += 1
        guard digits(&cursor, min: 1, max: 2) else { return false }
        if cursor == bytes.endIndex { return true }
        guard literal(&cursor, ":"), digits(&cursor, min: 2, max: 2) else { return false }
        return cursor == bytes.endIndex
    }

    // MARK: - Scanning helpers

    private var signSkipped: Int {
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { return 1 }
        return 0
    }

    private func skip(from start: Int, while predicate: (UInt8) -> Bool) -> Int {
        var cursor = start
        while cursor < bytes.endIndex, predicate(bytes[cursor]) { cursor += 1 }
        return cursor
    }

    /// Consumes between `min` and `max` digits; fails if fewer than `min`.
    /// Taking up to `max` greedily is safe because every caller expects a non-digit next.
    private func digits(_ cursor: inout Int, min: Int, max: Int) -> Bool {
        let start = cursor
        while cursor < bytes.endIndex, cursor - start < max, Self.isDigit(bytes[cursor]) { cursor += 1 }
        return cursor - start >= min
    }

    private func literal(_ cursor: inout Int, _ character: Unicode.Scalar) -> Bool {
        guard cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: character) else { return false }
        cursor += 1
        return true
    }

    /// Scans `(:[0-5]?[0-9])+` starting at a colon; leaves `cursor` after the last group.
    private static func scanSexagesimalGroups(_ bytes: ArraySlice<UInt8>, _ cursor: inout Int) -> Bool {
        var groups = 0
        while cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: ":") {
            var end = cursor + 1
            while end < bytes.endIndex, isDigit(bytes[end]) { end += 1 }
            let count = end - (cursor + 1)
            switch count {
            case 1:
                break
            case 2 where bytes[cursor + 1] <= UInt8(ascii: "5"):
                break
            default:
                return false
            }
            cursor = end
            groups += 1
        }
        return groups > 0
    }

    private static func all(_ slice: ArraySlice<UInt8>, nonEmpty: Bool, _ predicate: (UInt8) -> Bool) -> Bool {
        if nonEmpty && slice.isEmpty { return false }
        return slice.allSatisfy(predicate)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isOctalDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x37 }
    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }
}
