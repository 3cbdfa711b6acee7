/// Finds doubles that are short decimals, so they can be stored as integers.
///
/// Most stored values were decimal text or integer counts before they
/// became doubles: 12.34, 1.0, 1532876. Such a value v is exactly
/// `Double(k) / 10^d` for a small integer k, because IEEE division rounds
/// correctly and both operands are exact (|k| ≤ 2^53, d ≤ 22), so it gives
/// the double nearest to k/10^d, which is what parsing "12.34" gave. The
/// integers k then compress like times (the idea of ALP, Afroozeh et al.,
/// SIGMOD 2024, without its exceptions). Every value is checked bit for
/// bit, so -0.0, NaN payloads, infinities, subnormals and values such as
/// 0.1 + 0.2 fail the test and send their block to XOR coding instead.
enum DecimalScale {
    /// The most decimal digits tried; 10^18 is still an exact double.
    static let maximumScale = 18

    /// 10^d for d in 0...maximumScale, all exact.
    static let powers: [Double] = (0...maximumScale).map { exponent in
        var power = 1.0
        for _ in 0..<exponent { power *= 10 }
        return power
    }

    /// 2^53: the integers beyond it are not all doubles.
    private static let integerLimit = 9_007_199_254_740_992.0

    /// The integer that `value` is at the scale whose power of ten is
    /// `power`, if it is exactly one. `divide` is false for scale 0: the
    /// check then needs no division, the slowest step here, and the
    /// compiler computes both arms of a conditional, so it is a parameter
    /// that callers fix for a whole loop.
    @inline(__always)
    static func integer(_ value: Double, power: Double, divide: Bool) -> Int64? {
        let scaled = divide ? value * power : value
        // Also false for NaN and infinities; checked before the conversion,
        // which would trap on them.
        guard abs(scaled) <= integerLimit else { return nil }
        // Rounds half away from zero by truncation: one instruction, where
        // `rounded()` calls libm. Any integer within ½ of `scaled` will do,
        // as the check below decides; -0.0 fails it as it should.
        let integer = Int64(scaled < 0 ? scaled - 0.5 : scaled + 0.5)
        let back = divide ? Double(integer) / power : Double(integer)
        guard back.bitPattern == value.bitPattern else { return nil }
        return integer
    }

    /// The fewest decimal digits that make every value an integer, with
    /// those integers in `output`; nil if there are none up to the maximum.
    /// One test per value unless a value needs more digits than those
    /// before it, which then are redone at the new scale.
    static func integers(
        _ values: UnsafeMutableBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Int64>
    ) -> Int? {
        var scale = 0
        while true {
            let failed = scale == 0
                ? convert(values, power: 1, divide: false, into: output)
                : convert(values, power: powers[scale], divide: true, into: output)
            guard failed < values.count else { return scale }
            // The scale only grows, so this retries at most 18 times.
            repeat {
                scale &+= 1
                guard scale <= maximumScale else { return nil }
            } while integer(values[failed], power: powers[scale], divide: true) == nil
        }
    }

    /// Converts values until one fails; returns its index, or the count.
    @inline(__always)
    private static func convert(
        _ values: UnsafeMutableBufferPointer<Double>, power: Double, divide: Bool,
        into output: UnsafeMutableBufferPointer<Int64>
    ) -> Int {
        for index in 0..<values.count {
            guard let integer = integer(values[index], power: power, divide: divide) else { return index }
            output[index] = integer
        }
        return values.count
    }
}
