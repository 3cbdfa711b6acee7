/// Reads what `BitWriter` wrote, from bytes that may be hostile.
///
/// Bit reads never fail and never touch memory outside the buffer: past
/// the end they yield zero bits. Callers either check up front that a
/// field fits (`require(bits:)`), or read a bounded number of fields and
/// then check `overran`. Keeping the checks out of the per-value path is
/// what makes decoding a few nanoseconds per point.
struct BitReader {
    private let bytes: UnsafeRawBufferPointer
    /// From the start of `bytes`; may run past the end only through bit
    /// reads, which `overran` then reports.
    private(set) var bitOffset: Int

    init(_ bytes: UnsafeRawBufferPointer, byteOffset: Int = 0) {
        self.bytes = bytes
        self.bitOffset = byteOffset &* 8
    }

    /// The byte the next byte-level field starts at (after `alignToByte`).
    var byteOffset: Int { bitOffset &>> 3 }

    var remainingBytes: Int { max(0, bytes.count &- byteOffset) }

    /// True once a bit read went past the last byte: the chunk is truncated.
    var overran: Bool { bitOffset > bytes.count &* 8 }

    mutating func alignToByte() {
        bitOffset = (bitOffset &+ 7) & ~7
    }

    mutating func readByte() throws(ChunkDecodingError) -> UInt8 {
        let offset = byteOffset
        guard offset < bytes.count else { throw .truncated(offset: offset) }
        bitOffset &+= 8
        return bytes[offset]
    }

    mutating func readVarint() throws(ChunkDecodingError) -> UInt64 {
        let start = byteOffset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            // The tenth byte may hold only the top bit of a UInt64: more
            // would be silently dropped, so it is refused instead.
            if shift == 63, byte > 1 { throw .malformed("varint overflows 64 bits", offset: start) }
            value |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { return value }
            shift &+= 7
        }
    }

    /// Throws unless `count` more bits are in the buffer.
    func require(bits count: Int) throws(ChunkDecodingError) {
        guard count <= bytes.count &* 8 &- bitOffset else { throw .truncated(offset: bytes.count) }
    }

    /// The next `count` bits, 1...64. Zero bits past the end of the buffer.
    @inline(__always)
    mutating func read(_ count: Int) -> UInt64 {
        assert((1...64).contains(count))
        let byte = bitOffset &>> 3
        let shift = UInt64(bitOffset & 7)
        var value = word(atByte: byte) &>> shift
        // One load gives at least 57 bits; a field that straddles more
        // takes its top bits from the ninth byte.
        if Int(shift) &+ count > 64 {
            value |= word(atByte: byte &+ 8) &<< (64 &- shift)
        }
        bitOffset &+= count
        return value & (UInt64.max &>> UInt64(64 &- count))
    }

    /// Eight bytes from `offset`, little-endian, zero past the end.
    @inline(__always)
    private func word(atByte offset: Int) -> UInt64 {
        if offset &+ 8 <= bytes.count {
            return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        var value: UInt64 = 0
        var index = offset
        while index < bytes.count {
            value |= UInt64(bytes[index]) &<< UInt64((index &- offset) &* 8)
            index &+= 1
        }
        return value
    }
}
