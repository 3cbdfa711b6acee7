/// One block of a column of integers: the times, or the scaled values.
///
/// Layout, starting at a byte boundary:
///
///     flags:u8     bits 0–1 order, bit 2 patches follow, bit 3 offset follows
///     width:u8     0…64
///     base         zigzag varint: the block's least residual, minus its
///                  prediction (the last value for order 0, the last delta
///                  for order 1, 0 for order 2)
///     divisor      varint ≥ 1, unless width is 0 and no flag is set
///     offset       varint, if flagged
///     patches      count:u8 (1…block size), width:u8 (1…64), if flagged
///     bits         per integer, width bits: (residual − base) / divisor − offset;
///                  then per patch, 7 bits of position and its whole quotient;
///                  LSB first, padded to a byte
///
/// The residuals are the integers themselves (order 0), their deltas
/// (order 1) or their deltas of deltas (order 2), taken from the last
/// integer of the previous block, so a block starts where the last ended
/// at no cost. Per block the encoder keeps the order that packs smallest:
/// order 0 for unsorted times (a log row) and bounded values, 1 for
/// jittered intervals and counters, 2 for steady trends; a regular
/// interval is width 0, three bytes and no bits. Subtracting the least
/// residual (frame of reference) keeps all non-negative without zigzag's
/// extra bit, the common divisor removes a time unit (10^9 for whole
/// seconds) or a value step, and `PackingPlan` patches outliers.
///
/// All arithmetic wraps, so any Int64 sequence, including jumps from
/// Int64.min to Int64.max, round-trips exactly and hostile headers can't trap.
enum IntegerColumn {
    /// What the next block's residuals are taken from.
    struct State {
        var previous: Int64 = 0
        var previousDelta: Int64 = 0
        /// Encoder only: the order the last block chose, and how many
        /// blocks until all orders are priced again.
        var lastOrder = 0
        var blocksUntilSurvey = 0

        func prediction(order: Int) -> Int64 {
            order == 0 ? previous : order == 1 ? previousDelta : 0
        }
    }

    static let maximumOrder = 2
    static let surveyInterval = 8
    static let patchesFlag: UInt8 = 0x04
    static let offsetFlag: UInt8 = 0x08

    /// The bytes a block takes at least: flags, width and a one-byte base.
    static let minimumBytes = 3

    /// Scratch for `encode`: one block of residuals per order.
    static let scratchSize = (maximumOrder &+ 1) &* ChunkCodec.blockSize

    /// Decodes `output.count` integers (1…block size), checking every
    /// header field, and that the packed bits are all there before reading.
    static func decode(
        state: inout State, from reader: inout BitReader, into output: UnsafeMutableBufferPointer<Int64>
    ) throws(ChunkDecodingError) {
        let start = reader.byteOffset
        let flags = try reader.readByte()
        let order = Int(flags & 0x03)
        guard order <= maximumOrder, flags & ~(0x03 | patchesFlag | offsetFlag) == 0 else {
            throw .malformed("integer block flags \(flags)", offset: start)
        }
        let width = Int(try reader.readByte())
        guard width <= 64 else { throw .malformed("integer block width \(width) bits", offset: start &+ 1) }
        let base = UInt64(bitPattern: ZigZag.decode(try reader.readVarint()) &+ state.prediction(order: order))
        let count = output.count
        var divisor: UInt64 = 0
        var offset: UInt64 = 0
        var patches = 0
        var patchWidth = 0
        if width > 0 || flags & (patchesFlag | offsetFlag) != 0 {
            divisor = try reader.readVarint()
            guard divisor != 0 else { throw .malformed("integer block divisor 0", offset: reader.byteOffset &- 1) }
            if flags & offsetFlag != 0 { offset = try reader.readVarint() }
            if flags & patchesFlag != 0 {
                patches = Int(try reader.readByte())
                patchWidth = Int(try reader.readByte())
                guard (1...count).contains(patches), (1...64).contains(patchWidth) else {
                    throw .malformed("\(patches) patches of \(patchWidth) bits", offset: reader.byteOffset &- 2)
                }
            }
        }
        try reader.require(bits: count &* width &+ patches &* (PackingPlan.positionBits &+ patchWidth))

        // Quotients first, patched, then scaled and integrated.
        if width == 0 {
            for index in 0..<count { output[index] = Int64(bitPattern: offset) }
        } else {
            for index in 0..<count { output[index] = Int64(bitPattern: offset &+ reader.read(width)) }
        }
        for _ in 0..<patches {
            let position = Int(reader.read(PackingPlan.positionBits))
            guard position < count else { throw .malformed("patch position \(position)", offset: start) }
            output[position] = Int64(bitPattern: reader.read(patchWidth))
        }
        reader.alignToByte()

        var previous = state.previous
        var previousDelta = state.previousDelta
        switch order {
        case 0:
            for index in 0..<count {
                let value = Int64(bitPattern: base &+ divisor &* UInt64(bitPattern: output[index]))
                output[index] = value
                previousDelta = value &- previous
                previous = value
            }
        case 1:
            for index in 0..<count {
                previousDelta = Int64(bitPattern: base &+ divisor &* UInt64(bitPattern: output[index]))
                previous &+= previousDelta
                output[index] = previous
            }
        default:
            for index in 0..<count {
                previousDelta &+= Int64(bitPattern: base &+ divisor &* UInt64(bitPattern: output[index]))
                previous &+= previousDelta
                output[index] = previous
            }
        }
        state.previous = previous
        state.previousDelta = previousDelta
    }
}
