/// One row of the collector's ingest log: the points of one write, grouped
/// by series, each series' points a chunk in arrival order.
///
/// Format: a version byte (1), the number of sections as a LEB128 varint,
/// then per section the series id and the chunk's length as varints and
/// the chunk's bytes.
public enum IngestLogRow {
    public static let formatVersion: UInt8 = 1

    public struct Section: Sendable {
        public var seriesID: Int64
        public var chunk: ArraySlice<UInt8>
    }

    public static func encode(_ sections: [(seriesID: Int64, chunk: [UInt8])]) -> [UInt8] {
        var bytes: [UInt8] = [formatVersion]
        bytes.reserveCapacity(sections.reduce(8) { $0 + $1.chunk.count + 12 })
        appendVarint(UInt64(sections.count), to: &bytes)
        for section in sections {
            appendVarint(UInt64(bitPattern: section.seriesID), to: &bytes)
            appendVarint(UInt64(section.chunk.count), to: &bytes)
            bytes.append(contentsOf: section.chunk)
        }
        return bytes
    }

    /// The sections, their chunks not yet decoded; hostile bytes throw.
    public static func decode(_ bytes: [UInt8]) throws(ChunkDecodingError) -> [Section] {
        guard let version = bytes.first else { throw .truncated(offset: 0) }
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        var offset = 1
        let count = try readVarint(bytes, &offset)
        // Each section takes at least two bytes: refuse a count the bytes
        // cannot hold before reserving anything for it.
        guard count <= UInt64(bytes.count - offset) / 2 else { throw .implausibleCount(count, availableBytes: bytes.count - offset) }
        var sections: [Section] = []
        sections.reserveCapacity(Int(count))
        for _ in 0..<count {
            let seriesID = Int64(bitPattern: try readVarint(bytes, &offset))
            let length = try readVarint(bytes, &offset)
            guard length <= UInt64(bytes.count - offset) else { throw .truncated(offset: offset) }
            let end = offset + Int(length)
            sections.append(Section(seriesID: seriesID, chunk: bytes[offset..<end]))
            offset = end
        }
        guard offset == bytes.count else { throw .trailingBytes(count: bytes.count - offset) }
        return sections
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func readVarint(_ bytes: [UInt8], _ offset: inout Int) throws(ChunkDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw .truncated(offset: offset) }
            let byte = bytes[offset]
            offset += 1
            guard shift < 64, shift < 63 || byte <= 1 else { throw .malformed("varint longer than 64 bits", offset: offset - 1) }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }
}
