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
public struct IPRangeTable: Sendable, Equatable {
    struct Ranges<Address: FixedWidthInteger & Sendable>: Sendable, Equatable {
        var first: [Address] = []
        var last: [Address] = []
        var country: [UInt16] = []

        mutating func append(_ low: Address, _ high: Address, _ code: UInt16) {
            first.append(low)
            last.append(high)
            country.append(code)
        }

        mutating func sort() {
            // The files come sorted: one pass says so, without sorting.
            guard zip(first, first.dropFirst()).contains(where: { $0 > $1 }) else { return }
            let order = first.indices.sorted { first[$0] < first[$1] }
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
            guard let base = bytes.baseAddress else { return }
            while start < bytes.count, failure == nil {
                // memchr: a byte-by-byte Swift loop over 25 MB is seconds in a debug build.
                let end = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
                    .map { $0 - UnsafeMutableRawPointer(mutating: base) } ?? bytes.count
                number += 1
                failure = parse(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end + 1
            }
        }
        if let failure { throw ConfigError("\(path):\(number): \(failure)") }
    }

    /// One line; nil when it parsed (or is blank or a comment).
    private mutating func parse(_ line: UnsafeRawBufferPointer) -> String? {
        if let (first, last, code) = Self.decimalRange(line) {
            v4.append(first, last, code)
            return nil
        }
        if let (first, last, code) = Self.ipv6Range(line) {
            v6.append(first, last, code)
            return nil
        }
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

    /// `FIRST,LAST,CC` with decimal IPv4 addresses, read straight from the
    /// bytes: the form of nearly every line of `geoip`, where building
    /// strings per line made the first start slow. Plain index loops, no
    /// slices or closures: this runs 660,000 times, in debug builds too.
    /// Anything else is nil and goes the general way.
    static func decimalRange(_ line: UnsafeRawBufferPointer) -> (UInt32, UInt32, UInt16)? {
        var index = 0
        guard let first = decimal(line, &index), index < line.count, line[index] == comma else { return nil }
        index += 1
        guard let last = decimal(line, &index), index < line.count, line[index] == comma,
              let code = countryCode(line, after: index) else { return nil }
        return (first, last, code)
    }

    private static let comma = UInt8(ascii: ",")

    /// A decimal UInt32 from `index` on; `index` ends after its digits.
    private static func decimal(_ line: UnsafeRawBufferPointer, _ index: inout Int) -> UInt32? {
        let start = index
        var value: UInt64 = 0
        while index < line.count, index - start < 10 {
            let digit = line[index] &- UInt8(ascii: "0")
            if digit >= 10 { break }
            value = value &* 10 &+ UInt64(digit)
            index += 1
        }
        guard index > start, value <= UInt64(UInt32.max) else { return nil }
        return UInt32(value)
    }

    /// The two letters after the comma at `comma`, ending the line (a DOS
    /// file's CR aside).
    private static func countryCode(_ line: UnsafeRawBufferPointer, after comma: Int) -> UInt16? {
        guard comma + 3 <= line.count, let high = letter(line[comma + 1]), let low = letter(line[comma + 2]) else { return nil }
        var index = comma + 3
        while index < line.count {
            if line[index] != UInt8(ascii: "\r") { return nil }
            index += 1
        }
        return UInt16(high) << 8 | UInt16(low)
    }

    /// `FIRST,LAST,CC` with IPv6 addresses, the form of every line of
    /// `geoip6`: each address handed to inet_pton from a stack buffer, no
    /// strings. Anything else is nil and goes the general way.
    static func ipv6Range(_ line: UnsafeRawBufferPointer) -> (UInt128, UInt128, UInt16)? {
        var firstComma = 0
        while firstComma < line.count, line[firstComma] != comma { firstComma += 1 }
        var secondComma = firstComma + 1
        while secondComma < line.count, line[secondComma] != comma { secondComma += 1 }
        guard secondComma < line.count, let code = countryCode(line, after: secondComma),
              let first = ipv6(line, from: 0, to: firstComma),
              let last = ipv6(line, from: firstComma + 1, to: secondComma)
        else { return nil }
        return (first, last, code)
    }

    private static func ipv6(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int) -> UInt128? {
        // INET6_ADDRSTRLEN is 46 with the terminating NUL.
        let count = end - start
        guard count > 0, count < 46 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 46) { buffer -> UInt128? in
            guard let base = buffer.baseAddress else { return nil }
            for offset in 0..<count { buffer[offset] = CChar(bitPattern: line[start + offset]) }
            buffer[count] = 0
            var address = in6_addr()
            guard inet_pton(AF_INET6, base, &address) == 1 else { return nil }
            // The address is in network order; in6_addr is not 16-aligned.
            return withUnsafeBytes(of: &address) { bytes in UInt128(bigEndian: bytes.loadUnaligned(as: UInt128.self)) }
        }
    }

    /// A country code letter in upper case, as `code` makes them.
    private static func letter(_ byte: UInt8) -> UInt8? {
        let upper = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
        return upper >= 0x21 && upper < 0x7F ? upper : nil
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
