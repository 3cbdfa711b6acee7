/// Walks a chunk block by block: the one decoding loop behind `decode`,
/// `forEach` and `ChunkReader`.
struct BlockDecoder {
    /// The points the header announces, already checked against the bytes.
    let count: Int
    private(set) var decoded = 0
    private var byteOffset: Int
    private var timeState = IntegerColumn.State()
    private var valueState = ValueColumn.State()

    /// Reads and checks the header.
    init(_ bytes: UnsafeRawBufferPointer) throws(ChunkDecodingError) {
        var reader = BitReader(bytes)
        let version = try reader.readByte()
        guard version == ChunkCodec.formatVersion else { throw .unsupportedVersion(version) }
        let claimed = try reader.readVarint()
        // Every block takes a few bytes however well it compresses, so the
        // bytes bound the count, and with it whatever a caller allocates.
        let blocks = claimed / UInt64(ChunkCodec.blockSize) &+ (claimed % UInt64(ChunkCodec.blockSize) == 0 ? 0 : 1)
        guard blocks <= UInt64(reader.remainingBytes / ChunkCodec.minimumBlockBytes) else {
            throw .implausibleCount(claimed, availableBytes: reader.remainingBytes)
        }
        guard let count = Int(exactly: claimed) else {
            throw .implausibleCount(claimed, availableBytes: reader.remainingBytes)
        }
        self.count = count
        if count > 0 { timeState.previous = ZigZag.decode(try reader.readVarint()) }
        byteOffset = reader.byteOffset
    }

    /// Decodes the next block into `buffers` and returns its size, or 0
    /// after the last block, once it has checked that no bytes follow.
    /// `bytes` must be the chunk given to `init`.
    mutating func nextBlock(_ bytes: UnsafeRawBufferPointer, into buffers: BlockBuffers) throws(ChunkDecodingError) -> Int {
        guard decoded < count else {
            guard byteOffset == bytes.count else { throw .trailingBytes(count: bytes.count &- byteOffset) }
            return 0
        }
        let size = min(ChunkCodec.blockSize, count &- decoded)
        var reader = BitReader(bytes, byteOffset: byteOffset)
        try IntegerColumn.decode(
            state: &timeState, from: &reader, into: UnsafeMutableBufferPointer(rebasing: buffers.times[0..<size]))
        try ValueColumn.decode(
            state: &valueState, from: &reader, into: UnsafeMutableBufferPointer(rebasing: buffers.values[0..<size]),
            integers: buffers.integers)
        byteOffset = reader.byteOffset
        decoded &+= size
        return size
    }
}
