/// A chunk's points one at a time, for callers that stop early (a time
/// range ends inside a sorted chunk) or whose per-point work throws.
/// Decodes a block at a time, so memory stays constant.
///
///     var reader = try ChunkReader(bytes)
///     while let point = try reader.next() { … }
///
/// Not copyable: its block buffer belongs to one position in the chunk.
public struct ChunkReader: ~Copyable {
    /// The points the chunk holds, from its header.
    public let count: Int
    private let bytes: [UInt8]
    private var decoder: BlockDecoder
    private let buffers: BlockBuffers
    private var index = 0
    private var filled = 0

    public init(_ bytes: [UInt8]) throws(ChunkDecodingError) {
        let decoder = try bytes.withRawBytes { raw throws(ChunkDecodingError) in try BlockDecoder(raw) }
        self.decoder = decoder
        self.count = decoder.count
        self.bytes = bytes
        self.buffers = BlockBuffers.allocate()
    }

    deinit { buffers.deallocate() }

    /// The next point, nil after the last; throws at a corrupt block.
    public mutating func next() throws(ChunkDecodingError) -> ChunkPoint? {
        if index == filled {
            var decoder = self.decoder
            let buffers = self.buffers
            filled = try bytes.withRawBytes { raw throws(ChunkDecodingError) in
                try decoder.nextBlock(raw, into: buffers)
            }
            self.decoder = decoder
            index = 0
            if filled == 0 { return nil }
        }
        defer { index &+= 1 }
        return ChunkPoint(time: buffers.times[index], value: buffers.values[index])
    }
}
