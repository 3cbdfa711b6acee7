import CollectorModel
import Foundation
import Testing

/// The legacy APIs' times are printed and parsed by arithmetic, not by
/// Foundation's formatters (which need ICU); the old clients must see
/// exactly the formatters' text.
@Suite("Legacy time formats")
struct LegacyTimeTests {
    /// The edges (the epoch, a second's last instant, before 1970, leap
    /// days, the last four-digit year) and 20,000 instants from 1900 to 2200.
    static let instants: [TimeInterval] = {
        var generator = SystemRandomNumberGenerator()
        var instants: [TimeInterval] = [0, -0.001, -0.5, -1, 0.999, 59.9995, 86_399.999, -86_400.5, 951_782_400, 4_107_542_399.999,
                                        253_402_300_799.999, 1_606_780_800.123_456, -12_219_292_800]
        for _ in 0..<20_000 {
            instants.append(Double.random(in: -2_208_988_800...7_258_118_400, using: &generator).rounded(.down) / 1
                            + Double(Int.random(in: 0..<1000, using: &generator)) / 1000)
        }
        return instants
    }()

    @Test func secondsAndFractionsPrintAsISO8601DateFormatterPrintsThem() {
        let seconds = ISO8601DateFormatter()
        seconds.formatOptions = [.withInternetDateTime]
        let fractions = ISO8601DateFormatter()
        fractions.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for instant in Self.instants {
            let date = Date(timeIntervalSince1970: instant)
            #expect(LegacyTime.iso8601Seconds(date) == seconds.string(from: date), "at \(instant)")
            #expect(LegacyTime.rfc3339Fraction(date) == fractions.string(from: date), "at \(instant)")
        }
    }

    @Test func httpDatesPrintAsDateFormatterPrintsThem() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for instant in Self.instants {
            let date = Date(timeIntervalSince1970: instant)
            #expect(LegacyTime.httpDate(date) == formatter.string(from: date), "at \(instant)")
        }
    }

    /// Before the Gregorian calendar began, ICU's formatters print Julian
    /// dates; ISO 8601 (and this) keeps counting Gregorian days.
    @Test func yearsBefore1583AreProlepticGregorian() {
        #expect(LegacyTime.iso8601Seconds(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(LegacyTime.httpDate(Date(timeIntervalSince1970: -62_135_596_800)) == "Mon, 01 Jan 0001 00:00:00 GMT")
    }

    @Test func parsesWhatTheLegacyFormattersParsed() {
        let utc = { (text: String) in Date(timeIntervalSince1970: TimeInterval(text) ?? .nan) }
        let cases: [(String, Date?)] = [
            ("2020-11-12T11:10:00Z", utc("1605179400")),
            ("2020-11-12T11:10:00.250Z", utc("1605179400.25")),
            ("2020-11-12T11:10:00+01:00", utc("1605175800")),
            ("2020-11-12T11:10:00-0130", utc("1605184800")),
            ("2020-11-12T11:10:00", utc("1605179400")),
            ("2020-11-12T11:10Z", utc("1605179400")),
            ("2020-11-12T11:10", utc("1605179400")),
            (" 2020-11-12T11:10:00Z ", utc("1605179400")),
            ("2020-02-29T00:00:00Z", utc("1582934400")),
            ("2021-02-29T00:00:00Z", nil),
            ("2020-13-01T00:00:00Z", nil),
            ("2020-11-12T24:00:00Z", nil),
            ("2020-11-12", nil),
            ("2020-11-12T11:10:00\u{32B}Z", nil),
            ("2020-11-12T11:10:00Zjunk", nil),
            ("", nil),
        ]
        for (text, expected) in cases {
            #expect(LegacyTime.parseISO8601(text) == expected, "\(text)")
        }
        for instant in Self.instants.prefix(2000) {
            let date = Date(timeIntervalSince1970: instant)
            let parsed = LegacyTime.parseISO8601(LegacyTime.rfc3339Fraction(date))
            #expect(parsed.map { abs($0.timeIntervalSince1970 - instant) <= 0.000_501 } == true, "at \(instant)")
        }
    }
}
