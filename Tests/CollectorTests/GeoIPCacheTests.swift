@testable import CollectorServer
import CollectorModel
import Foundation
import Logging
import Testing

/// tor-geoipdb's ranges are parsed once into a binary cache in the data
/// directory, read back in milliseconds, and parsed again when the files
/// change; a damaged cache is parsed over, never trusted.
@Suite("Country range cache", .serialized)
struct GeoIPCacheTests {
    static let logger = Logger(label: "geoip-test")

    func write(_ directory: TemporaryDirectory, v4: String, v6: String) throws -> (String, String) {
        try v4.write(toFile: directory.file("geoip"), atomically: true, encoding: .utf8)
        try v6.write(toFile: directory.file("geoip6"), atomically: true, encoding: .utf8)
        return (directory.file("geoip"), directory.file("geoip6"))
    }

    @Test func theCacheIsUsedUntilTheFilesChange() throws {
        let directory = try TemporaryDirectory("geoip-cache")
        let (v4, v6) = try write(directory, v4: "# tor\n16777216,16777471,au\n2130706432,2147483647,ZZ\r\n", v6: "2001:db8::,2001:db8::ffff,DE\n")
        let cache = IPRangeCache(directory: directory.path, logger: Self.logger)
        let parsed = try cache.table(ipv4File: v4, ipv6File: v6)
        #expect(parsed == (try IPRangeTable(ipv4File: v4, ipv6File: v6)))
        #expect(FileManager.default.fileExists(atPath: cache.path))
        #expect(parsed.country(of: "1.0.0.1") == "AU")
        #expect(parsed.country(of: "2001:db8::42") == "DE")

        // Read back: the same table, from the cache (proved by the key).
        let key = try IPRangeCache.key(ipv4File: v4, ipv6File: v6)
        #expect(cache.read(key: key) == parsed)

        // A changed file (size and time) is a different key: parsed again.
        _ = try write(directory, v4: "16777216,16777471,FR\n", v6: "2001:db8::,2001:db8::ffff,DE\n")
        #expect(cache.read(key: try IPRangeCache.key(ipv4File: v4, ipv6File: v6)) == nil)
        let changed = try cache.table(ipv4File: v4, ipv6File: v6)
        #expect(changed.country(of: "1.0.0.1") == "FR")
        #expect(changed.country(of: "127.0.0.1") == nil)
    }

    @Test func aDamagedCacheIsParsedOver() throws {
        let directory = try TemporaryDirectory("geoip-damaged")
        let (v4, v6) = try write(directory, v4: "16777216,16777471,AU\n", v6: "2001:db8::,2001:db8::ffff,DE\n")
        let cache = IPRangeCache(directory: directory.path, logger: Self.logger)
        let table = try cache.table(ipv4File: v4, ipv6File: v6)
        let key = try IPRangeCache.key(ipv4File: v4, ipv6File: v6)
        let whole = try Data(contentsOf: URL(fileURLWithPath: cache.path))
        for cut in [0, 5, whole.count / 2, whole.count - 1] {
            try whole.prefix(cut).write(to: URL(fileURLWithPath: cache.path))
            #expect(cache.read(key: key) == nil, "cut at \(cut)")
        }
        try (whole + Data([0])).write(to: URL(fileURLWithPath: cache.path))
        #expect(cache.read(key: key) == nil, "a byte too many")
        #expect(try cache.table(ipv4File: v4, ipv6File: v6) == table)
        #expect(cache.read(key: key) == table)
    }

    @Test func theFastPathsReadWhatTheGeneralOneReads() throws {
        let lines = ["16777216,16777471,au", "4294967295,4294967295,ZZ\r", "1,2,A1"]
        for line in lines {
            let fast = Array(line.utf8).withUnsafeBytes { IPRangeTable.decimalRange($0) }
            #expect(fast?.0 == UInt32(line.split(separator: ",")[0]), "\(line)")
        }
        for refused in ["4294967296,1,ZZ", "1,2,ZZZ", "1,2", "1.0.0.0,1.0.0.255,AU", ",1,ZZ"] {
            #expect(Array(refused.utf8).withUnsafeBytes { IPRangeTable.decimalRange($0) } == nil, "\(refused)")
        }
        let v6 = Array("2001:db8::,2001:db8::ffff,de".utf8).withUnsafeBytes { IPRangeTable.ipv6Range($0) }
        #expect(v6?.0 == IPAddressText.ipv6("2001:db8::") && v6?.1 == IPAddressText.ipv6("2001:db8::ffff"))
        #expect(v6?.2 == IPRangeTable.code("DE"))
        #expect(Array("2001:db8::,nonsense,DE".utf8).withUnsafeBytes { IPRangeTable.ipv6Range($0) } == nil)
    }

    /// The real tor-geoipdb files, when installed: the second load (the
    /// collector's every start after the first) takes well under a second.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/tor/geoip6")))
    func theInstalledRangesLoadInWellUnderASecondFromTheCache() throws {
        let directory = try TemporaryDirectory("geoip-real")
        var config = CollectorConfig()
        config.crawl.geoipIPv4 = "/usr/share/tor/geoip"
        config.crawl.geoipIPv6 = "/usr/share/tor/geoip6"
        let first = try config.crawl.rangeTable(cacheDirectory: directory.path, logger: Self.logger)
        let started = ContinuousClock.now
        let second = try config.crawl.rangeTable(cacheDirectory: directory.path, logger: Self.logger)
        let took = ContinuousClock.now - started
        #expect(took < .milliseconds(500), "\(took)")
        #expect(second == first)
        #expect(second.count > 100_000)
        #expect(second.country(of: "8.8.8.8") == "US")
    }
}
