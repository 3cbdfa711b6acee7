/// Scratch space for one block, allocated once per chunk rather than per
/// block.
struct BlockBuffers {
    let times: UnsafeMutableBufferPointer<Int64>
    let values: UnsafeMutableBufferPointer<Double>
    /// A value block's scaled integers.
    let integers: UnsafeMutableBufferPointer<Int64>
    /// Each order's residuals while an integer block is encoded.
    let residuals: UnsafeMutableBufferPointer<UInt64>

    static func allocate() -> BlockBuffers {
        let size = ChunkCodec.blockSize
        let buffers = BlockBuffers(
            times: .allocate(capacity: size), values: .allocate(capacity: size),
            integers: .allocate(capacity: size), residuals: .allocate(capacity: IntegerColumn.scratchSize))
        buffers.times.initialize(repeating: 0)
        buffers.values.initialize(repeating: 0)
        buffers.integers.initialize(repeating: 0)
        buffers.residuals.initialize(repeating: 0)
        return buffers
    }

    func deallocate() {
        times.deallocate()
        values.deallocate()
        integers.deallocate()
        residuals.deallocate()
    }

    /// Buffers that live for the duration of `body`.
    static func with<Result, Failure: Error>(
        _ body: (BlockBuffers) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let buffers = allocate()
        defer { buffers.deallocate() }
        return try body(buffers)
    }
}
