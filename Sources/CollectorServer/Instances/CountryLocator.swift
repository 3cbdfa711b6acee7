import CollectorModel
import Foundation
import NIOPosix

/// Finds the country of an instance from its URL: resolve the host, look
/// the address up in the offline table. Any failure is `unknown`, never an
/// error: a country is a nicety, not a reason to refuse an instance.
public struct CountryLocator: Sendable {
    public static let unknown = "unknown"
    let table: any CountryDatabase

    public init(table: any CountryDatabase) {
        self.table = table
    }

    public func country(ofURL url: String) async -> String {
        guard !table.isEmpty, let host = URLComponents(string: url)?.host, !host.isEmpty else { return Self.unknown }
        let literal = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if let country = table.country(of: literal) { return country }
        if IPAddressText.ipv4(literal) != nil || IPAddressText.ipv6(literal) != nil { return Self.unknown }
        for address in await Self.resolve(host) {
            if let country = table.country(of: address) { return country }
        }
        return Self.unknown
    }

    /// getaddrinfo blocks, so it runs on NIO's thread pool, not on the
    /// cooperative pool the rest of the collector shares.
    static func resolve(_ host: String) async -> [String] {
        (try? await NIOThreadPool.singleton.runIfActive { () -> [String] in
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &result) == 0 else { return [] }
            defer { freeaddrinfo(result) }
            var addresses: [String] = []
            var cursor = result
            while let entry = cursor {
                var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                    addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                }
                cursor = entry.pointee.ai_next
            }
            return addresses
        }) ?? []
    }
}
