import CollectorModel
import Foundation
import ServiceSupport

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
        for address in await NameResolution.addresses(of: literal) {
            if let country = table.country(of: address) { return country }
        }
        return Self.unknown
    }
}
