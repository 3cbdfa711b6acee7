/// Values that are not short decimals: Gorilla's XOR coding (Pelkonen et
/// al., "Gorilla: A Fast, Scalable, In-Memory Time Series Database", VLDB
/// 2015, §4.1.2), as InfluxDB's TSM also stores floats.
///
/// Each value is XORed with the previous one (the last value of the
/// previous block for the first), bit pattern to bit pattern, so NaN
/// payloads and signed zeros survive. Then, bits written LSB first:
///
///     0                                  same value as before
///     1 0  <bits>                        XOR fits the previous window
///     1 1  lead:5  length−1:6  <bits>    new window: leading zeros (≤ 31),
///                                        meaningful length, its bits
///
/// The window starts empty in each block, and the block is padded to a byte.
enum XORColumn {
    /// The bits a block takes at least: one per value.
    static let minimumBytes = 1

    static func encode(_ values: UnsafeMutableBufferPointer<Double>, previous: UInt64, into writer: inout BitWriter) {
        var previous = previous
        // No window yet: 64 leading zeros can't be matched by a nonzero XOR.
        var leading = 64
        var trailing = 64
        for value in values {
            let bits = value.bitPattern
            let xor = bits ^ previous
            previous = bits
            if xor == 0 {
                writer.write(0, bitCount: 1)
                continue
            }
            let newLeading = min(xor.leadingZeroBitCount, 31)
            let newTrailing = xor.trailingZeroBitCount
            if newLeading >= leading, newTrailing >= trailing {
                writer.write(0b01, bitCount: 2)
                writer.write(xor &>> UInt64(trailing), bitCount: 64 &- leading &- trailing)
            } else {
                let length = 64 &- newLeading &- newTrailing
                writer.write(0b11 | UInt64(newLeading) &<< 2 | UInt64(length &- 1) &<< 7, bitCount: 13)
                writer.write(xor &>> UInt64(newTrailing), bitCount: length)
                leading = newLeading
                trailing = newTrailing
            }
        }
        writer.alignToByte()
    }

    static func decode(
        previous: UInt64, from reader: inout BitReader, into output: UnsafeMutableBufferPointer<Double>
    ) throws(ChunkDecodingError) {
        let start = reader.byteOffset
        var previous = previous
        var leading = 64
        var trailing = 64
        for index in 0..<output.count {
            // Reads past the end yield zeros, which decode as repeats: at
            // most 128 values of bounded work, then `overran` says so.
            if reader.read(1) != 0 {
                if reader.read(1) == 0 {
                    guard leading < 64 else { throw .malformed("XOR window reused before one was set", offset: start) }
                    previous ^= reader.read(64 &- leading &- trailing) &<< UInt64(trailing)
                } else {
                    let header = reader.read(11)
                    let newLeading = Int(header & 31)
                    let length = Int(header &>> 5) &+ 1
                    guard newLeading &+ length <= 64 else {
                        throw .malformed("XOR window of \(newLeading) + \(length) bits", offset: start)
                    }
                    leading = newLeading
                    trailing = 64 &- newLeading &- length
                    previous ^= reader.read(length) &<< UInt64(trailing)
                }
            }
            output[index] = Double(bitPattern: previous)
        }
        guard !reader.overran else { throw .truncated(offset: start) }
        reader.alignToByte()
    }
}
