/// Division by a block's common divisor without a `div` instruction.
///
/// Times in nanoseconds are usually whole seconds or milliseconds, and
/// integer values often multiples of something; dividing the residuals of
/// a block by their greatest common divisor saves up to 30 bits a point.
/// Testing and performing that division per point with hardware division
/// would cost more than the rest of encoding, so it uses the exact-division
/// identity instead: for odd d and its inverse modulo 2^64, n is a multiple
/// of d iff n·inverse ≤ (2^64−1)/d, and then n/d = n·inverse (Granlund and
/// Montgomery, "Division by invariant integers using multiplication", §9;
/// Hacker's Delight §10-17). Even divisors shift their power of two first.
struct ExactDivisor {
    let divisor: UInt64
    private let shift: UInt64
    private let lowMask: UInt64
    private let inverse: UInt64
    private let limit: UInt64

    /// `divisor` must not be zero.
    init(_ divisor: UInt64) {
        assert(divisor != 0)
        self.divisor = divisor
        let zeros = divisor.trailingZeroBitCount
        shift = UInt64(zeros)
        lowMask = (1 &<< UInt64(zeros)) &- 1
        let odd = divisor &>> UInt64(zeros)
        // Newton's iteration doubles the correct low bits each step; an odd
        // number is its own inverse modulo 8, so five steps reach 64 bits.
        var inverse = odd
        for _ in 0..<5 { inverse = inverse &* (2 &- odd &* inverse) }
        self.inverse = inverse
        limit = UInt64.max / odd
    }

    @inline(__always)
    func divides(_ value: UInt64) -> Bool {
        value & lowMask == 0 && (value &>> shift) &* inverse <= limit
    }

    /// `value / divisor`, exact only when `divides(value)`.
    @inline(__always)
    func quotient(_ value: UInt64) -> UInt64 {
        (value &>> shift) &* inverse
    }

    /// Subtracts `base` from every value, then returns the greatest common
    /// divisor of the differences, or 0 if all are zero. One pass, and one
    /// multiplication per value while the divisor holds.
    static func subtractAndFindDivisor(_ base: UInt64, from values: UnsafeMutableBufferPointer<UInt64>) -> UInt64 {
        var common: UInt64 = 0
        var test = ExactDivisor(1)
        for index in values.indices {
            let value = values[index] &- base
            values[index] = value
            if value == 0 || common == 1 || (common != 0 && test.divides(value)) { continue }
            common = gcd(common, value)
            test = ExactDivisor(common)
        }
        return common
    }

    /// Stein's binary GCD; gcd(0, b) = b.
    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        if a == 0 { return b }
        if b == 0 { return a }
        let shift = (a | b).trailingZeroBitCount
        var a = a &>> UInt64(a.trailingZeroBitCount)
        var b = b
        repeat {
            b &>>= UInt64(b.trailingZeroBitCount)
            if a > b { swap(&a, &b) }
            b &-= a
        } while b != 0
        return a &<< UInt64(shift)
    }
}
