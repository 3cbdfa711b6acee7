import CollectorModel
import Foundation

/// Where an address is, from ranges of addresses and their country codes:
/// the format of Debian's `tor-geoipdb` (`/usr/share/tor/geoip`, lines
/// `FIRST,LAST,CC` with IPv4 addresses as integers; `geoip6`, lines
/// `FIRST,LAST,CC` with IPv6 addresses written out). Looked up by binary
/// search; nothing here touches the network.
///
/// The files hold a few hundred thousand ranges, so they are parsed from
/// bytes into flat arrays (a country is two packed letters), not into an
/// array of strings: the table stays a few megabytes.
public struct IPRangeTable: Sendable {
    struct Ranges<Address: FixedWidthInteger & Sendable>: Sendable {
        var first: [Address] = []
        var last: [Address] = []
        var country: [UInt16] = []

        mutating func append(_ low: Address, _ high: Address, _ code: UInt16) {
            first.append(low)
            last.append(high)
            country.append(code)
        }

        mutating func sort() {
            let order = first.indices.sorted { first[$0] < first[$1] }
            guard order != Array(first.indices) else { return }
            first = order.map { first[$0] }
            last = order.map { last[$0] }
            country = order.map { country[$0] }
        }

        func find(_ address: Address) -> UInt16? {
            var low = 0
            var high = first.count
            while low < high {
                let middle = (low + high) / 2
                if first[middle] <= address { low = middle + 1 } else { high = middle }
            }
            guard low > 0, last[low - 1] >= address else { return nil }
            return country[low - 1]
        }
    }

    var v4 = Ranges<UInt32>()
    var v6 = Ranges<UInt128>()

    public init() {}

    public var isEmpty: Bool { v4.first.isEmpty && v6.first.isEmpty }
    public var count: Int { v4.first.count + v6.first.count }

    /// Reads the IPv4 and/or IPv6 files; a line that does not parse is an
    /// error naming the file and line, since a half-read table gives wrong
    /// countries silently.
    public init(ipv4File: String?, ipv6File: String?) throws {
        if let ipv4File { try load(ipv4File) }
        if let ipv6File { try load(ipv6File) }
        v4.sort()
        v6.sort()
    }

    private mutating func load(_ path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("cannot read geoip file \(path)")
        }
        var number = 0
        var failure: String?
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var start = 0
            while start < bytes.count, failure == nil {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                number += 1
                failure = parse(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end + 1
            }
        }
        if let failure { throw ConfigError("\(path):\(number): \(failure)") }
    }

    /// One line; nil when it parsed (or is blank or a comment).
    private mutating func parse(_ line: UnsafeRawBufferPointer) -> String? {
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty || text.hasPrefix("#") { return nil }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].utf8.count == 2, let code = Self.code(parts[2]) else { return "expected FIRST,LAST,COUNTRY" }
        let low = String(parts[0])
        let high = String(parts[1])
        if let first = UInt32(low), let last = UInt32(high) {
            v4.append(first, last, code)
        } else if let first = IPAddressText.ipv4(low), let last = IPAddressText.ipv4(high) {
            v4.append(first, last, code)
        } else if let first = IPAddressText.ipv6(low), let last = IPAddressText.ipv6(high) {
            v6.append(first, last, code)
        } else {
            return "'\(low)' or '\(high)' is not an address"
        }
        return nil
    }

    static func code(_ letters: Substring) -> UInt16? {
        let bytes = Array(letters.uppercased().utf8)
        guard bytes.count == 2, bytes.allSatisfy({ $0 >= 0x21 && $0 < 0x7F }) else { return nil }
        return UInt16(bytes[0]) << 8 | UInt16(bytes[1])
    }

    static func letters(_ code: UInt16) -> String {
        String(decoding: [UInt8(code >> 8), UInt8(code & 0xFF)], as: UTF8.self)
    }

    /// The country of an address written as text, or nil when no range holds it.
    public func country(of address: String) -> String? {
        if let v4Address = IPAddressText.ipv4(address) { return v4.find(v4Address).map(Self.letters) }
        if let v6Address = IPAddressText.ipv6(address) {
            // An IPv4-mapped IPv6 address is looked up as IPv4.
            if v6Address >> 32 == 0xFFFF { return v4.find(UInt32(truncatingIfNeeded: v6Address)).map(Self.letters) }
            return v6.find(v6Address).map(Self.letters)
        }
        return nil
    }
}
