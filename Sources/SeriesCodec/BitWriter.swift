/// Appends bytes and bit fields to a chunk.
///
/// Bit fields are packed least significant bit first into little-endian
/// 64-bit words, the order `BitReader` reads with one unaligned load.
/// Byte-level fields (headers, varints) are written only at byte
/// boundaries, after `alignToByte()`, so that a block's header can be read
/// without bit arithmetic.
struct BitWriter {
    /// Zero-filled ahead of `length`, so that a word is stored with one
    /// unaligned store rather than appended byte by byte.
    private var storage: [UInt8]
    private var length = 0
    /// Bits written but not yet in `storage`, in the low `pendingCount` bits.
    private var pending: UInt64 = 0
    /// Always below 64: a full word is flushed as soon as it fills.
    private var pendingCount = 0

    init(capacity: Int) {
        storage = Array(repeating: 0, count: max(capacity, 16))
    }

    /// The bytes written, the last partial byte padded with zero bits.
    /// A copy of exactly that size: chunks may be kept in memory, and the
    /// storage was sized for a guess.
    mutating func finish() -> [UInt8] {
        alignToByte()
        return Array(storage[0..<length])
    }

    /// Appends the low `count` bits of `value`; the bits above them must be
    /// zero (callers mask or shift, which they do anyway).
    @inline(__always)
    mutating func write(_ value: UInt64, bitCount count: Int) {
        pending |= value &<< UInt64(pendingCount)
        let total = pendingCount &+ count
        if total >= 64 {
            storeWord(pending)
            // The bits of `value` that did not fit in the stored word. A
            // shift by 64 would wrap to 0 with &>>, hence the special case.
            pending = pendingCount == 0 ? 0 : value &>> UInt64(64 &- pendingCount)
            pendingCount = total &- 64
        } else {
            pendingCount = total
        }
    }

    /// Flushes a partly filled byte, padding it with zero bits.
    mutating func alignToByte() {
        guard pendingCount > 0 else { return }
        // All pending bytes in one store; `length` then counts only those used.
        storeWord(pending)
        length &-= 8 &- (pendingCount &+ 7) / 8
        pending = 0
        pendingCount = 0
    }

    mutating func appendByte(_ byte: UInt8) {
        assert(pendingCount == 0, "byte fields go at byte boundaries")
        reserve(1)
        storage[length] = byte
        length &+= 1
    }

    /// LEB128: seven bits a byte, low group first, high bit set on all but
    /// the last byte. At most 10 bytes for a UInt64.
    mutating func appendVarint(_ value: UInt64) {
        assert(pendingCount == 0, "byte fields go at byte boundaries")
        reserve(10)
        var rest = value
        while rest >= 0x80 {
            storage[length] = UInt8(truncatingIfNeeded: rest) | 0x80
            length &+= 1
            rest &>>= 7
        }
        storage[length] = UInt8(truncatingIfNeeded: rest)
        length &+= 1
    }

    @inline(__always)
    private mutating func storeWord(_ word: UInt64) {
        reserve(8)
        let offset = length
        storage.withUnsafeMutableBytes { $0.storeBytes(of: word.littleEndian, toByteOffset: offset, as: UInt64.self) }
        length &+= 8
    }

    /// Makes room for `count` more bytes, doubling the storage.
    @inline(__always)
    private mutating func reserve(_ count: Int) {
        if length &+ count > storage.count { grow(to: length &+ count) }
    }

    private mutating func grow(to size: Int) {
        storage.append(contentsOf: repeatElement(0, count: max(size, storage.count &* 2) &- storage.count))
    }
}
