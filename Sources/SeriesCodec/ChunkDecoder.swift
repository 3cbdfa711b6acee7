extension ChunkCodec {
    /// The points of a chunk `encode` wrote, in their order. Throws for
    /// anything else, without trapping, and reserves no more than 26 points
    /// a byte of input before checking them (a block of 128 points takes
    /// at least 5 bytes).
    public static func decode(_ bytes: [UInt8]) throws(ChunkDecodingError) -> [ChunkPoint] {
        try bytes.withRawBytes { raw throws(ChunkDecodingError) in
            var decoder = try BlockDecoder(raw)
            var points: [ChunkPoint] = []
            points.reserveCapacity(decoder.count)
            try BlockBuffers.with { buffers throws(ChunkDecodingError) in
                while true {
                    let size = try decoder.nextBlock(raw, into: buffers)
                    if size == 0 { break }
                    for index in 0..<size {
                        points.append(ChunkPoint(time: buffers.times[index], value: buffers.values[index]))
                    }
                }
            }
            return points
        }
    }

    /// Calls `body` with each point's time and value, in order, without
    /// building an array: the aggregation hot path. A corrupt chunk throws
    /// when the decoder reaches the bad block, after `body` has seen the
    /// points before it. To stop early or throw from the body, iterate a
    /// `ChunkReader` instead.
    public static func forEach(_ bytes: [UInt8], _ body: (Int64, Double) -> Void) throws(ChunkDecodingError) {
        try bytes.withRawBytes { raw throws(ChunkDecodingError) in
            var decoder = try BlockDecoder(raw)
            try BlockBuffers.with { buffers throws(ChunkDecodingError) in
                while true {
                    let size = try decoder.nextBlock(raw, into: buffers)
                    if size == 0 { break }
                    for index in 0..<size { body(buffers.times[index], buffers.values[index]) }
                }
            }
        }
    }

    /// The number of points, from the header alone.
    public static func count(_ bytes: [UInt8]) throws(ChunkDecodingError) -> Int {
        try bytes.withRawBytes { raw throws(ChunkDecodingError) in try BlockDecoder(raw).count }
    }
}
