import CollectorModel
import Foundation
import Logging

/// tor-geoipdb's range files parsed once into a compact binary file in the
/// data directory, read back on later starts with a few copies instead of
/// 660,000 lines of text: parsing took the collector's start ~10 s, the
/// cache takes milliseconds. The cache is keyed by each source file's
/// path, size and modification time, so an updated tor-geoipdb package is
/// parsed again; a missing, stale or damaged cache is parsed and rewritten,
/// and a cache that cannot be written only costs the next start its speed.
///
/// Layout (native byte order, written and read by the same machine): the
/// magic, the key's length and UTF-8 bytes, the IPv4 and IPv6 counts, then
/// each column whole: IPv4 firsts, lasts, countries; IPv6 firsts, lasts,
/// countries.
struct IPRangeCache {
    static let fileName = "geoip-ranges.cache"
    static let magic = Array("CGEOIP01".utf8)

    let path: String
    let logger: Logger

    init(directory: String, logger: Logger) {
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        self.logger = logger
    }

    /// The table of these files, from the cache when it is theirs.
    func table(ipv4File: String?, ipv6File: String?) throws -> IPRangeTable {
        let sources = [ipv4File, ipv6File].compactMap { $0 }
        guard !sources.isEmpty else { return IPRangeTable() }
        let started = ContinuousClock.now
        let key = try Self.key(ipv4File: ipv4File, ipv6File: ipv6File)
        if let table = read(key: key) {
            logger.info("country ranges loaded from the cache", metadata: [
                "ranges": "\(table.count)", "cache": "\(path)", "took": "\(ContinuousClock.now - started)",
            ])
            return table
        }
        logger.notice("parsing the country ranges once; later starts read them from the cache", metadata: [
            "files": "\(sources.joined(separator: ", "))", "cache": "\(path)",
        ])
        let table = try IPRangeTable(ipv4File: ipv4File, ipv6File: ipv6File)
        do {
            try write(table, key: key)
        } catch {
            logger.warning("could not write the country range cache; the next start parses again", metadata: [
                "cache": "\(path)", "error": "\(error)",
            ])
        }
        logger.info("country ranges parsed", metadata: ["ranges": "\(table.count)", "took": "\(ContinuousClock.now - started)"])
        return table
    }

    /// What the cache must have been made from: each file's role, path,
    /// size and modification time to the nanosecond.
    static func key(ipv4File: String?, ipv6File: String?) throws -> String {
        try [("v4", ipv4File), ("v6", ipv6File)].compactMap { role, file -> String? in
            guard let file else { return nil }
            var info = stat()
            guard stat(file, &info) == 0 else { throw ConfigError("cannot read geoip file \(file)") }
            return "\(role)=\(file)|\(info.st_size)|\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }.joined(separator: "\n")
    }

    func read(key: String) -> IPRangeTable? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var reader = ColumnReader(data: data)
        guard reader.bytes(Self.magic.count) == Self.magic,
              let keyLength = reader.value(UInt32.self),
              reader.bytes(Int(keyLength)).map({ String(decoding: $0, as: UTF8.self) }) == key,
              let v4Count = reader.value(UInt64.self).map(Int.init), let v6Count = reader.value(UInt64.self).map(Int.init),
              let v4First = reader.column(UInt32.self, count: v4Count), let v4Last = reader.column(UInt32.self, count: v4Count),
              let v4Country = reader.column(UInt16.self, count: v4Count),
              let v6First = reader.column(UInt128.self, count: v6Count), let v6Last = reader.column(UInt128.self, count: v6Count),
              let v6Country = reader.column(UInt16.self, count: v6Count),
              reader.atEnd
        else { return nil }
        var table = IPRangeTable()
        table.v4 = .init(first: v4First, last: v4Last, country: v4Country)
        table.v6 = .init(first: v6First, last: v6Last, country: v6Country)
        return table
    }

    func write(_ table: IPRangeTable, key: String) throws {
        var data = Data(Self.magic)
        let keyBytes = Array(key.utf8)
        Self.append(UInt32(keyBytes.count), to: &data)
        data.append(contentsOf: keyBytes)
        Self.append(UInt64(table.v4.first.count), to: &data)
        Self.append(UInt64(table.v6.first.count), to: &data)
        for column in [table.v4.first, table.v4.last] { column.withUnsafeBytes { data.append(contentsOf: $0) } }
        table.v4.country.withUnsafeBytes { data.append(contentsOf: $0) }
        for column in [table.v6.first, table.v6.last] { column.withUnsafeBytes { data.append(contentsOf: $0) } }
        table.v6.country.withUnsafeBytes { data.append(contentsOf: $0) }
        // Whole or not at all: a reader never sees half a file.
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value) { data.append(contentsOf: $0) }
    }
}

/// Reads the cache front to back; nil past the end, never a trap.
private struct ColumnReader {
    let data: Data
    var offset = 0

    var atEnd: Bool { offset == data.count }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= data.count - offset else { return nil }
        defer { offset += count }
        return Array(data[data.startIndex + offset ..< data.startIndex + offset + count])
    }

    mutating func value<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        column(type, count: 1)?.first
    }

    /// `count` values copied out whole (the file gives no alignment).
    mutating func column<T: FixedWidthInteger>(_ type: T.Type, count: Int) -> [T]? {
        let (size, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard count >= 0, !overflow, size <= data.count - offset else { return nil }
        let start = offset
        offset += size
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start ..< start + size]))
            }
            initialized = count
        }
    }
}
