import CollectorModel
import Foundation
import Testing

/// The legacy APIs' times are printed by arithmetic, not by a formatter per
/// call; the old clients must see exactly the formatter's text.
@Suite("Legacy time formats")
struct LegacyTimeTests {
    @Test func secondsPrintAsISO8601DateFormatterPrintsThem() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        // The edges: the epoch, a second's last instant, before 1970, leap
        // days, the last representable years.
        var instants: [TimeInterval] = [0, -0.001, -0.5, -1, 0.999, 59.9995, 86_399.999, -86_400.5, 951_782_400, 4_107_542_399.999,
                                        253_402_300_799.999, -62_135_596_800, 1_606_780_800.123_456]
        for _ in 0..<20_000 {
            instants.append(Double.random(in: -2_208_988_800...7_258_118_400, using: &generator).rounded(.down) / 1
                            + Double(Int.random(in: 0..<1000, using: &generator)) / 1000)
        }
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            #expect(LegacyTime.iso8601Seconds(date) == formatter.string(from: date), "at \(instant)")
        }
    }
}
