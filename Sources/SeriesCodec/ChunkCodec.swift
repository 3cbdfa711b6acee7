/// Encodes a series' points (time in ns since the epoch, value) into a
/// compact chunk and back, exactly: times as Int64, values bit for bit.
/// Used for per-series log rows (arrival order: times unsorted, repeated)
/// and for compacted per-window chunks (sorted by time).
///
/// # Format, version 1
///
///     chunk       version:u8 = 1, count:varint, first time:zigzag varint
///                 (if count > 0), then ⌈count / 128⌉ blocks
///     block       up to 128 points: a time block, then a value block,
///                 each starting at a byte boundary
///     time block  an `IntegerColumn` block of the times
///     value block kind:u8, then for kind 0…18 an `IntegerColumn` block of
///                 integers k, each value being Double(k) / 10^kind
///                 (`DecimalScale`); for kind 0x80 Gorilla XOR bits
///                 (`XORColumn`)
///
/// An `IntegerColumn` block stores the integers, their deltas or their
/// deltas of deltas (whichever packs smallest), minus the block's least
/// one, divided by their greatest common divisor, bit-packed at one width
/// with outliers patched after the block (PFOR). Varints are LEB128, bits
/// LSB first. Every choice is made per block, from what the block holds,
/// so a series that changes shape (a gap, a counter reset, a NaN) costs
/// only the blocks it touches.
///
/// # Why this one
///
/// Measured on 1M points each (release build, best of 7 runs, CPU time on
/// this project's 2-core VM while other builds ran: ±20 %). A: the bench's
/// events, times = year start + (n · 2654435761) mod 31,536,000 s, values
/// n mod 1000, sorted by time as one chunk, and in arrival order as
/// 2000-point chunks; B: every 10 s ± 5 ms jitter, a CPU % with two
/// decimals; C: a counter every 10 s growing by 0…10^6; D: 1.0 every 60 s.
///
///     bytes / point            A sorted  A arrival  B host  C counter  D const
///     Gorilla, ns times        3.76      5.03       12.64   4.67       0.25
///     Gorilla, time unit       3.07      3.65       12.64   4.67       0.25
///     unit, dod blocks, int    2.66      3.37       11.23   2.67       0.03
///       deltas or XOR
///     zigzag-delta varints     7.02      9.00       13.00   7.99       7.00
///     this codec               1.00      0.36        4.43   2.58       0.06
///
///     encode / decode ns/pt    A sorted  A arrival  B host  C counter  D const
///     Gorilla, ns times        9 / 10    15 / 10    18 / 12  13 / 14   4 / 5
///     Gorilla, time unit       12 / 10   18 / 10    23 / 14  13 / 9    8 / 6
///     unit, dod blocks…        18 / 7    22 / 10    23 / 17  17 / 6    14 / 5
///     zigzag-delta varints     21 / 13   21 / 23    16 / 12  20 / 14   18 / 13
///     this codec               23 / 6    18 / 5     23 / 7   15 / 5    8 / 3
///
/// Against the hybrid (a chunk-wide time unit, delta-of-delta blocks),
/// choosing the order per block with a frame of reference and a common
/// divisor halves jittered times (a delta spreads half as far as its delta
/// of delta); decimal scaling stores B's 12.34 as 1234 (4.4 bytes a point
/// where XOR takes 12.6, and this codec without it 10.1); patches halve A
/// (2.21 → 1.00 sorted; 1.84 → 0.36 in arrival order, whose times are an
/// arithmetic progression modulo a year that deltas with one patch per
/// wrap capture: real log rows won't compress as well). Patches cost
/// encoding time: without them A encodes in 16 ns a point. Blocks of 64
/// points take 2–100 % more bytes (headers); blocks of 256 save 1–2 % on
/// B and C but lose 10 % on sorted A. InfluxDB's TSM (XOR floats, simple8b
/// deltas over a common divisor) sits between the Gorilla and hybrid rows.
public enum ChunkCodec {
    /// The first byte of every chunk. A decoder refuses versions it does
    /// not know rather than misreading them.
    public static let formatVersion: UInt8 = 1

    /// Points per block: enough to amortize a block's few header bytes,
    /// few enough that its order, width and scale follow the data. Patch
    /// positions take 7 bits and patch counts a byte because of it.
    static let blockSize = 128

    /// The least a block can take: a time block and a value block.
    static let minimumBlockBytes = IntegerColumn.minimumBytes + ValueColumn.minimumBytes
}
