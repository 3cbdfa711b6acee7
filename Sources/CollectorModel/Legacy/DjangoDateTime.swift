#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Times as the tracking API's Django read and wrote them, to the
/// microsecond. Parsed and printed with integer arithmetic: Foundation's
/// formatters round fractions and trap on some non-ASCII input.
public enum DjangoDateTime {
    /// Django's `parse_datetime`: `YYYY-M-D[T ]h:m[:s[.ffffff]][ ][Z|±HH[[:]MM]]`;
    /// digits past the sixth of the fraction are ignored; no zone is UTC
    /// (the service ran with `TIME_ZONE = 'UTC'`). Nil when it is not one.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count <= 64 else { return nil }
        var index = 0
        func digits(_ minimum: Int, _ maximum: Int) -> Int? {
            var value = 0
            var count = 0
            while index < bytes.count, count < maximum, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
                count += 1
            }
            return count >= minimum ? value : nil
        }
        func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = digits(4, 4), take(0x2D), let month = digits(1, 2), take(0x2D), let day = digits(1, 2),
              take(0x54) || take(0x20),  // T or space
              let hour = digits(1, 2), take(0x3A), let minute = digits(1, 2)
        else { return nil }
        var second = 0
        var micros = 0
        if take(0x3A) {
            guard let parsed = digits(1, 2) else { return nil }
            second = parsed
            if take(0x2E) || take(0x2C) {
                let start = index
                guard let fraction = digits(1, 6) else { return nil }
                micros = fraction * [1, 100_000, 10_000, 1_000, 100, 10, 1][index - start]
                _ = digits(0, 6)
            }
        }
        while take(0x20) || take(0x09) {}
        var offsetSeconds = 0
        if take(0x5A) {
            // Z
        } else if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D {
            let sign = bytes[index] == 0x2D ? -1 : 1
            index += 1
            guard let hours = digits(2, 2) else { return nil }
            _ = take(0x3A)
            let minutes = digits(2, 2) ?? 0
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        guard index == bytes.count, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Int(CivilDate(year: Int64(year), month: Int64(month), day: Int64(day)).daysSinceEpoch)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1e6)
    }

    /// Python's `isoformat()` in UTC with `Z`, as Django REST framework
    /// wrote times: microseconds only when there are some.
    public static func format(_ date: Date) -> String {
        let totalMicros = Int64((date.timeIntervalSince1970 * 1e6).rounded())
        let micros = Int(((totalMicros % 1_000_000) + 1_000_000) % 1_000_000)
        let seconds = (totalMicros - Int64(micros)) / 1_000_000
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let secondOfDay = Int(seconds - Int64(days) * 86400)
        let date = CivilDate(daysSinceEpoch: Int64(days))
        // Digits by hand: Foundation's formatter is slow, and this runs for
        // every tracked event's answer.
        var text: [UInt8] = []
        text.reserveCapacity(27)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = max(0, value)
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(date.year), 4); text.append(UInt8(ascii: "-"))
        digits(Int(date.month), 2); text.append(UInt8(ascii: "-"))
        digits(Int(date.day), 2); text.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2); text.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2); text.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        if micros != 0 {
            text.append(UInt8(ascii: "."))
            digits(micros, 6)
        }
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
