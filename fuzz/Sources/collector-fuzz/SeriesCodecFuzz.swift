import SeriesCodec

/// The series-codec target. Chunks come back from the store's files and
/// backups, so the decoder must refuse any bytes with an error, never a
/// trap; and every sequence of points must come back exactly.
enum SeriesCodecFuzz {
    static func run(_ bytes: [UInt8]) {
        // The input as a chunk: refused, or points that survive re-encoding,
        // by each way of reading it.
        if let points = try? ChunkCodec.decode(bytes) {
            precondition((try? ChunkCodec.decode(ChunkCodec.encode(points))) == points, "re-encoding changed a decoded chunk")
        }
        try? ChunkCodec.forEach(bytes) { _, _ in }
        do {
            var reader = try ChunkReader(bytes)
            while try reader.next() != nil {}
        } catch {}

        // The input as points: the round trip must be exact.
        let points = points(bytes)
        let chunk = ChunkCodec.encode(points)
        precondition((try? ChunkCodec.decode(chunk)) == points, "the round trip changed \(points.count) points")
        precondition((try? ChunkCodec.count(chunk)) == points.count, "the header miscounts \(points.count) points")
        var visited: [ChunkPoint] = []
        try? ChunkCodec.forEach(chunk) { time, value in visited.append(ChunkPoint(time: time, value: value)) }
        precondition(visited == points, "forEach differs from the points")
    }

    /// The first byte picks a shape, then every 16 bytes are a point: 8 for
    /// the time, 8 for the value, little-endian. Raw bit patterns alone
    /// seldom reach the codings real series take, so shape bits make them:
    ///
    ///     bit 0   the time steps from the last by the low 16 bits, signed
    ///     bit 1   …in whole seconds (with bit 0)
    ///     bit 2   the value is a short decimal: the low 32 bits, signed,
    ///             over 10^(0…3) from the next two bits
    ///
    /// SeriesCodecTests has a copy, to run fuzz/corpus/series-codec.
    static func points(_ bytes: [UInt8]) -> [ChunkPoint] {
        guard let shape = bytes.first else { return [] }
        var points: [ChunkPoint] = []
        var time: Int64 = 0
        var index = 1
        while index + 16 <= bytes.count {
            var timeBits: UInt64 = 0
            var valueBits: UInt64 = 0
            for byte in 0..<8 {
                timeBits |= UInt64(bytes[index + byte]) << (8 * byte)
                valueBits |= UInt64(bytes[index + 8 + byte]) << (8 * byte)
            }
            if shape & 1 != 0 {
                let step = Int64(Int16(truncatingIfNeeded: timeBits))
                time = time &+ (shape & 2 != 0 ? step &* 1_000_000_000 : step)
            } else {
                time = Int64(bitPattern: timeBits)
            }
            let value = shape & 4 != 0
                ? Double(Int32(truncatingIfNeeded: valueBits)) / [1.0, 10, 100, 1000][Int(valueBits >> 32 & 3)]
                : Double(bitPattern: valueBits)
            points.append(ChunkPoint(time: time, value: value))
            index += 16
        }
        return points
    }
}
