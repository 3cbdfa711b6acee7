import CollectorModel
import Foundation

/// Where an address is, from ranges of addresses and their country codes:
/// the format of Debian's `tor-geoipdb` (`/usr/share/tor/geoip`, lines
/// `FIRST,LAST,CC` with IPv4 addresses as integers; `geoip6`, lines
/// `FIRST,LAST,CC` with IPv6 addresses written out). Looked up by binary
/// search; nothing here touches the network.
public struct IPRangeTable: Sendable {
    struct Range<Address: Comparable & Sendable>: Sendable {
        var first: Address
        var last: Address
        var country: String
    }

    var v4: [Range<UInt32>] = []
    var v6: [Range<UInt128>] = []

    public init() {}

    public var isEmpty: Bool { v4.isEmpty && v6.isEmpty }
    public var count: Int { v4.count + v6.count }

    /// Reads the IPv4 and/or IPv6 files; a line that does not parse is an
    /// error naming the file and line, since a half-read table gives wrong
    /// countries silently.
    public init(ipv4File: String?, ipv6File: String?) throws {
        if let ipv4File { try load(ipv4File) }
        if let ipv6File { try load(ipv6File) }
        v4.sort { $0.first < $1.first }
        v6.sort { $0.first < $1.first }
    }

    private mutating func load(_ path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError("cannot read geoip file \(path): \(error.localizedDescription)")
        }
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, (2...3).contains(parts[2].count) else {
                throw ConfigError("\(path):\(number + 1): expected FIRST,LAST,COUNTRY")
            }
            let country = parts[2].uppercased()
            if let first = UInt32(parts[0]), let last = UInt32(parts[1]) {
                v4.append(Range(first: first, last: last, country: country))
            } else if let first = IPAddressText.ipv4(parts[0]), let last = IPAddressText.ipv4(parts[1]) {
                v4.append(Range(first: first, last: last, country: country))
            } else if let first = IPAddressText.ipv6(parts[0]), let last = IPAddressText.ipv6(parts[1]) {
                v6.append(Range(first: first, last: last, country: country))
            } else {
                throw ConfigError("\(path):\(number + 1): '\(parts[0])' or '\(parts[1])' is not an address")
            }
        }
    }

    /// The country of an address written as text, or nil when no range holds it.
    public func country(of address: String) -> String? {
        if let v4Address = IPAddressText.ipv4(address) { return Self.find(v4Address, in: v4) }
        if let v6Address = IPAddressText.ipv6(address) {
            // An IPv4-mapped IPv6 address is looked up as IPv4.
            if v6Address >> 32 == 0xFFFF { return Self.find(UInt32(truncatingIfNeeded: v6Address), in: v4) }
            return Self.find(v6Address, in: v6)
        }
        return nil
    }

    static func find<Address>(_ address: Address, in ranges: [Range<Address>]) -> String? {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].first <= address { low = middle + 1 } else { high = middle }
        }
        guard low > 0, ranges[low - 1].last >= address else { return nil }
        return ranges[low - 1].country
    }
}
