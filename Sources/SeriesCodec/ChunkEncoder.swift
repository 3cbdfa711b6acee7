extension ChunkCodec {
    /// The chunk for `points`, in their order; decoding it gives them back
    /// exactly. Never fails: every Int64 time and every Double bit pattern
    /// has a coding.
    public static func encode(_ points: [ChunkPoint]) -> [UInt8] {
        // Enough for most series (0.05 to 4.5 bytes a point measured), so
        // the buffer seldom regrows; `finish` returns an exact-size copy.
        var writer = BitWriter(capacity: 64 &+ points.count &* 4)
        writer.appendByte(formatVersion)
        writer.appendVarint(UInt64(points.count))
        var timeState = IntegerColumn.State()
        if let first = points.first {
            // The first time, so that the first block's deltas start from
            // it rather than from 0: one outlier less to patch.
            writer.appendVarint(ZigZag.encode(first.time))
            timeState.previous = first.time
        }
        BlockBuffers.with { buffers in
            var valueState = ValueColumn.State()
            points.withUnsafeBufferPointer { points in
                var start = 0
                while start < points.count {
                    let count = min(blockSize, points.count &- start)
                    for index in 0..<count {
                        let point = points[start &+ index]
                        buffers.times[index] = point.time
                        buffers.values[index] = point.value
                    }
                    IntegerColumn.encode(
                        UnsafeMutableBufferPointer(rebasing: buffers.times[0..<count]), state: &timeState,
                        scratch: buffers.residuals, into: &writer)
                    ValueColumn.encode(
                        UnsafeMutableBufferPointer(rebasing: buffers.values[0..<count]), state: &valueState,
                        integers: buffers.integers, scratch: buffers.residuals, into: &writer)
                    start &+= count
                }
            }
        }
        return writer.finish()
    }
}
