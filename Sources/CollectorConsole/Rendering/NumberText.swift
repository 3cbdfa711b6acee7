import Foundation

/// Numbers as the console shows them, in charts' tables and figures.
enum NumberText {
    /// Whole numbers without a fraction, others with up to two decimals:
    /// what `collectorctl` prints.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if value.rounded() == value && abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.2f", value)
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value) }
}
