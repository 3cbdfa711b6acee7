#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Computers as operators write them: an IPv4 or IPv6 address, a host name,
/// or an inclusive `START-END` range, expanded to single addresses.
public enum ComputerAddresses {
    /// The most addresses one range may expand to.
    public static let defaultMaxRange = 4096

    public static func expand(_ entries: [String], maxRange: Int = defaultMaxRange) throws(ValidationError) -> [String] {
        var addresses: [String] = []
        var seen = Set<String>()
        for entry in entries {
            for address in try expand(entry.trimmingSpaces(), maxRange: maxRange) where seen.insert(address).inserted {
                addresses.append(address)
            }
        }
        return addresses
    }

    static func expand(_ entry: String, maxRange: Int) throws(ValidationError) -> [String] {
        if let dash = rangeSeparator(in: entry) {
            let start = String(entry[..<dash]).trimmingSpaces()
            let end = String(entry[entry.index(after: dash)...]).trimmingSpaces()
            if let first = IPv4(start), let last = IPv4(end) {
                guard last >= first else { throw ValidationError(field: "address", "range \(entry): the end is before the start") }
                guard Int(last - first) < maxRange else {
                    throw ValidationError(field: "address", "range \(entry) holds \(Int(last - first) + 1) addresses; the limit is \(maxRange)")
                }
                return (first...last).map { IPAddressText.text(ipv4: $0) }
            }
            if let first = IPv6(start), let last = IPv6(end) {
                guard last >= first else { throw ValidationError(field: "address", "range \(entry): the end is before the start") }
                guard last - first < UInt128(maxRange) else {
                    throw ValidationError(field: "address", "range \(entry) holds more than \(maxRange) addresses; the limit is \(maxRange)")
                }
                return (0...Int(last - first)).map { IPAddressText.text(ipv6: first + UInt128($0)) }
            }
            throw ValidationError(field: "address", "range '\(entry)' is not START-END of two IPv4 or two IPv6 addresses")
        }
        if let v4 = IPv4(entry) { return [IPAddressText.text(ipv4: v4)] }
        if let v6 = IPv6(entry) { return [IPAddressText.text(ipv6: v6)] }
        guard isHostName(entry) else { throw ValidationError(field: "address", "'\(entry)' is not an IP address, a host name or a range") }
        return [entry.lowercased()]
    }

    /// A dash between two addresses; host names may contain dashes too, so
    /// only a dash with an address on both sides makes a range.
    static func rangeSeparator(in entry: String) -> String.Index? {
        for index in entry.indices where entry[index] == "-" {
            let left = String(entry[..<index]).trimmingSpaces()
            let right = String(entry[entry.index(after: index)...]).trimmingSpaces()
            if (IPv4(left) != nil || IPv6(left) != nil) || (IPv4(right) != nil || IPv6(right) != nil) { return index }
        }
        return nil
    }

    static func isHostName(_ text: String) -> Bool {
        guard (1...253).contains(text.count), !text.hasPrefix("-"), !text.hasSuffix("-"), !text.hasPrefix(".") else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        // All digits and dots looks like a mistyped IPv4 address, not a name.
        guard !text.allSatisfy({ $0.isNumber || $0 == "." }) else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}

private func IPv4(_ text: String) -> UInt32? { IPAddressText.ipv4(text) }
private func IPv6(_ text: String) -> UInt128? { IPAddressText.ipv6(text) }
