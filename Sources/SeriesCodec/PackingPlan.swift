/// How a block's quotients are bit-packed: patched frame of reference
/// (PFOR; Zukowski et al., "Super-Scalar RAM-CPU Cache Compression", ICDE
/// 2006), with the frame anchored at either end of the block's range.
///
/// Every quotient q is stored as q − offset in `width` bits, except the
/// few that don't fit, which are stored after the block as patches (their
/// position and their whole q). One gap in a regular series, one reset of
/// a counter or the 5 % of long gaps in the bench events then cost their
/// own bits instead of widening every point of the block. The bottom
/// anchor (offset 0) serves outliers above the rest, the top anchor those
/// below (a counter reset is a large negative delta).
struct PackingPlan {
    var width = 0
    var offset: UInt64 = 0
    var patchCount = 0
    /// Bits of each patch's whole quotient: the width of the largest one.
    var patchWidth = 0
    /// The encoded size of the packed bits and the fields the plan needs.
    var cost = 0

    /// Bits of a patch's position in the block.
    static let positionBits = (ChunkCodec.blockSize &- 1).bitWidthNeeded

    /// The cheapest plan for `quotients`, whose largest is `maximum`.
    static func cheapest(for quotients: UnsafeMutableBufferPointer<UInt64>, maximum: UInt64) -> PackingPlan {
        let full = maximum.bitWidthNeeded
        let count = quotients.count
        var best = PackingPlan(width: full, cost: count &* full)
        guard full > 1 else { return best }
        // How many quotients need each width above the bottom anchor and
        // below the top one. Two copies of each, for even and odd
        // positions: consecutive values usually fall in the same bucket,
        // and one copy would make each increment wait for the last.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4 &* 65) { counts in
            counts.initialize(repeating: 0)
            var index = 0
            while index &+ 1 < count {
                let even = quotients[index], odd = quotients[index &+ 1]
                counts[even.bitWidthNeeded] &+= 1
                counts[65 &+ odd.bitWidthNeeded] &+= 1
                counts[130 &+ (maximum &- even).bitWidthNeeded] &+= 1
                counts[195 &+ (maximum &- odd).bitWidthNeeded] &+= 1
                index &+= 2
            }
            if index < count {
                counts[quotients[index].bitWidthNeeded] &+= 1
                counts[130 &+ (maximum &- quotients[index]).bitWidthNeeded] &+= 1
            }
            var aboveBottom = 0
            var belowTop = 0
            for width in stride(from: full &- 1, through: 0, by: -1) {
                aboveBottom &+= Int(counts[width &+ 1]) &+ Int(counts[65 &+ width &+ 1])
                belowTop &+= Int(counts[130 &+ width &+ 1]) &+ Int(counts[195 &+ width &+ 1])
                let packed = count &* width
                let bottom = packed &+ patchCost(aboveBottom, width: full)
                if bottom < best.cost {
                    best = PackingPlan(width: width, offset: 0, patchCount: aboveBottom, patchWidth: full, cost: bottom)
                }
                let offset = maximum &- ((1 &<< UInt64(width)) &- 1)
                let top = packed &+ patchCost(belowTop, width: full) &+ 8 &* offset.varintLength
                if top < best.cost {
                    best = PackingPlan(width: width, offset: offset, patchCount: belowTop, patchWidth: full, cost: top)
                }
                // Narrower frames only add patches: once the patches alone
                // cost more than the best plan, stop.
                if patchCost(min(aboveBottom, belowTop), width: full) >= best.cost { break }
            }
            return best
        }
    }

    /// Patches' bits, with their count and width bytes.
    private static func patchCost(_ count: Int, width: Int) -> Int {
        count == 0 ? 0 : 16 &+ count &* (positionBits &+ width)
    }
}

extension FixedWidthInteger {
    /// Bits needed to write the value unsigned: 0 for 0.
    var bitWidthNeeded: Int { bitWidth &- leadingZeroBitCount }
}

extension UInt64 {
    /// Bytes of the value as a LEB128 varint.
    var varintLength: Int { Swift.max(1, (bitWidthNeeded &+ 6) / 7) }
}
