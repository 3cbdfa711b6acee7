/// One block of values: a kind byte, then the values in that kind's coding.
///
///     kind 0...18   every value is Double(k) / 10^kind: the integers k
///                   follow as an `IntegerColumn` block
///     kind 0x80     anything else: `XORColumn` bits
///
/// Chosen per block, so one NaN or one noisy stretch costs only its own
/// block the XOR coding.
enum ValueColumn {
    static let xorKind: UInt8 = 0x80

    /// A block's kind byte and the smaller of its two codings.
    static let minimumBytes = 1 + min(IntegerColumn.minimumBytes, XORColumn.minimumBytes)

    struct State {
        /// The last value's bits, which the XOR coding starts from.
        var previousBits: UInt64 = 0
        /// The last block's kind: the integer state carries over only
        /// between blocks of the same scale, where the integers mean the same.
        var previousKind: UInt8 = xorKind
        var integers = IntegerColumn.State()

        mutating func enter(kind: UInt8) {
            if kind != previousKind { integers = IntegerColumn.State() }
            previousKind = kind
        }
    }

    static func encode(
        _ values: UnsafeMutableBufferPointer<Double>, state: inout State,
        integers: UnsafeMutableBufferPointer<Int64>, scratch: UnsafeMutableBufferPointer<UInt64>,
        into writer: inout BitWriter
    ) {
        let integers = UnsafeMutableBufferPointer(rebasing: integers[0..<values.count])
        if let scale = DecimalScale.integers(values, into: integers) {
            let kind = UInt8(scale)
            state.enter(kind: kind)
            writer.appendByte(kind)
            IntegerColumn.encode(integers, state: &state.integers, scratch: scratch, into: &writer)
        } else {
            state.enter(kind: xorKind)
            writer.appendByte(xorKind)
            XORColumn.encode(values, previous: state.previousBits, into: &writer)
        }
        if let last = values.last { state.previousBits = last.bitPattern }
    }

    static func decode(
        state: inout State, from reader: inout BitReader, into output: UnsafeMutableBufferPointer<Double>,
        integers: UnsafeMutableBufferPointer<Int64>
    ) throws(ChunkDecodingError) {
        let start = reader.byteOffset
        let kind = try reader.readByte()
        state.enter(kind: kind)
        if kind == xorKind {
            try XORColumn.decode(previous: state.previousBits, from: &reader, into: output)
        } else if Int(kind) <= DecimalScale.maximumScale {
            let integers = UnsafeMutableBufferPointer(rebasing: integers[0..<output.count])
            try IntegerColumn.decode(state: &state.integers, from: &reader, into: integers)
            let power = DecimalScale.powers[Int(kind)]
            if kind == 0 {
                for index in 0..<integers.count { output[index] = Double(integers[index]) }
            } else {
                for index in 0..<integers.count { output[index] = Double(integers[index]) / power }
            }
        } else {
            throw .malformed("value block kind \(kind)", offset: start)
        }
        if let last = output.last { state.previousBits = last.bitPattern }
    }
}
