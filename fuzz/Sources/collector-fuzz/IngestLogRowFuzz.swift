import SeriesCodec

/// The ingest-log-row target. Log rows are read back at every compaction
/// and every read of the log tail: hostile bytes must be refused with an
/// error, and a row built from any sections must read back exactly.
enum IngestLogRowFuzz {
    static func run(_ bytes: [UInt8]) {
        if let sections = try? IngestLogRow.decode(bytes) {
            for section in sections { try? ChunkCodec.forEach(Array(section.chunk)) { _, _ in } }
            let again = try? IngestLogRow.decode(IngestLogRow.encode(sections.map { (seriesID: $0.seriesID, chunk: Array($0.chunk)) }))
            precondition(again?.map(\.seriesID) == sections.map(\.seriesID) && again?.map { Array($0.chunk) } == sections.map { Array($0.chunk) },
                         "a decoded row reads back differently")
        }
        // The input cut into sections: every 9th byte a series id, the next
        // eight bytes its chunk.
        var sections: [(seriesID: Int64, chunk: [UInt8])] = []
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + 9)
            sections.append((Int64(bytes[index]) << 56 | Int64(end - index), Array(bytes[(index + 1)..<end])))
            index = end
        }
        let row = IngestLogRow.encode(sections)
        guard let read = try? IngestLogRow.decode(row) else { preconditionFailure("a row this build wrote does not decode") }
        precondition(read.map(\.seriesID) == sections.map(\.seriesID), "series ids changed")
        precondition(read.map { Array($0.chunk) } == sections.map(\.chunk), "chunks changed")
    }
}
