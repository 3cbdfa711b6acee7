#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A size in bytes, written as a number or with a unit: `64MiB`, `512KiB`, `1GiB`, `10MB`.
public struct ByteCount: Codable, Sendable, Equatable {
    public var bytes: Int

    public init(_ bytes: Int) { self.bytes = bytes }

    /// Errors name the key (`limits.min_free_disk: 'lots' is not a size
    /// like ...`): a file has many sizes, and the value alone does not say
    /// which one is wrong.
    public init(from decoder: Decoder) throws {
        let key = decoder.codingPath.keyPath
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            bytes = number
        } else {
            let text = try container.decode(String.self).trimmingSpaces()
            let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
                                          ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1)]
            guard let (suffix, factor) = units.first(where: { text.hasSuffix($0.0) }),
                  let number = Int(text.dropLast(suffix.count).trimmingSpaces())
            else { throw ConfigError("\(key): '\(text)' is not a size like 65536, 512KiB, 64MiB or 1GiB") }
            let (product, overflow) = number.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw ConfigError("\(key): '\(text)' is too large a size") }
            bytes = product
        }
        guard bytes > 0 else { throw ConfigError("\(key): a size must be positive") }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bytes)
    }
}

extension ByteCount {
    /// `512 B`, `1.5 KiB`, `3.2 GiB`: a size for people to read.
    public static func text(_ count: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count), unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(printf: "%.1f ", value) + units[unit]
    }
}
