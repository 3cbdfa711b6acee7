#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Network-order bytes of an IP literal, as an X.509 iPAddress SAN holds
/// them; nil when `text` is not an IPv4 or IPv6 literal.
enum IPAddressBytes {
    static func ipv4(_ text: String) -> [UInt8]? {
        parse(text, family: AF_INET, count: 4)
    }

    static func ipv6(_ text: String) -> [UInt8]? {
        parse(text, family: AF_INET6, count: 16)
    }

    private static func parse(_ text: String, family: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let parsed = bytes.withUnsafeMutableBytes { buffer in
            inet_pton(family, text, buffer.baseAddress)
        }
        return parsed == 1 ? bytes : nil
    }
}
