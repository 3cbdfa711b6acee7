import CMaxMindDB
import CollectorModel
import Foundation

/// Where an address is: tor-geoipdb's range files or a MaxMind / DB-IP
/// `.mmdb` file, behind one question.
public protocol CountryDatabase: Sendable {
    /// The country code for an IP address written as text; nil when unknown.
    func country(of address: String) -> String?
    var isEmpty: Bool { get }
}

extension IPRangeTable: CountryDatabase {}

/// A MaxMind GeoIP2/GeoLite2 or DB-IP country database, through
/// libmaxminddb, memory-mapped; lookups are read-only and thread-safe.
public final class MMDBDatabase: CountryDatabase, @unchecked Sendable {
    private var database = MMDB_s()

    public init(path: String) throws {
        let status = MMDB_open(path, UInt32(MMDB_MODE_MMAP), &database)
        guard status == MMDB_SUCCESS else {
            throw ConfigError("cannot open \(path): \(String(cString: MMDB_strerror(status)))")
        }
    }

    deinit { MMDB_close(&database) }

    public var isEmpty: Bool { false }

    public func country(of address: String) -> String? {
        var resolveError: Int32 = 0
        var lookupError: Int32 = 0
        var result = MMDB_lookup_string(&database, address, &resolveError, &lookupError)
        guard resolveError == 0, lookupError == MMDB_SUCCESS, result.found_entry else { return nil }
        var data = MMDB_entry_data_s()
        // GeoIP2 and DB-IP both keep the code at country.iso_code.
        let found = "country".withCString { country in
            "iso_code".withCString { isoCode in
                var path: [UnsafePointer<CChar>?] = [country, isoCode, nil]
                return path.withUnsafeMutableBufferPointer { MMDB_aget_value(&result.entry, &data, $0.baseAddress) }
            }
        }
        guard found == MMDB_SUCCESS, data.has_data, data.type == UInt32(MMDB_DATA_TYPE_UTF8_STRING), let text = data.utf8_string else {
            return nil
        }
        let bytes = UnsafeRawBufferPointer(start: text, count: Int(data.data_size))
        return String(decoding: bytes, as: UTF8.self).uppercased()
    }
}
