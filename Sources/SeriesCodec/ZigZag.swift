/// Maps signed integers to unsigned ones so that small magnitudes of either
/// sign get small codes (0, -1, 1, -2 → 0, 1, 2, 3), which varints and bit
/// widths then store in few bits.
enum ZigZag {
    @inline(__always)
    static func encode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value >> 63))
    }

    @inline(__always)
    static func decode(_ code: UInt64) -> Int64 {
        Int64(bitPattern: (code &>> 1) ^ (0 &- (code & 1)))
    }
}
