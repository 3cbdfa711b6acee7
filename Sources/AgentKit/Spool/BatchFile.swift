/// How one batch is stored: `<20-digit sequence>.batch`, holding a 16-byte
/// header (magic "SPB1", payload length as UInt64 LE, CRC-32 of the payload
/// as UInt32 LE) and then the payload. The rename makes a torn write
/// impossible; the header catches what rename cannot: truncation by a
/// broken disk or filesystem, bit rot, a stray file with a matching name.
enum BatchFile {
    static let suffix = ".batch"
    static let headerSize = 16
    private static let magic: [UInt8] = Array("SPB1".utf8)

    static func name(for sequence: UInt64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: 20 - digits.count) + digits + suffix
    }

    /// The sequence in a batch file's name, or nil for any other name.
    static func sequence(fromName name: String) -> UInt64? {
        guard name.hasSuffix(suffix) else { return nil }
        let digits = name.utf8.dropLast(suffix.utf8.count)
        guard digits.count == 20, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self))
    }

    static func header(for payload: [UInt8]) -> [UInt8] {
        var header = magic
        header.reserveCapacity(headerSize)
        appendLittleEndian(UInt64(payload.count), to: &header)
        appendLittleEndian(CRC32.checksum(payload), to: &header)
        return header
    }

    /// The payload in a batch file's bytes, or a description of what is wrong.
    static func payload(from bytes: [UInt8]) -> Result<[UInt8], SpoolError> {
        guard bytes.count >= headerSize, Array(bytes[0..<4]) == magic else {
            return .failure(SpoolError("not a batch file (bad header)"))
        }
        let length = readLittleEndian(UInt64.self, bytes, at: 4)
        guard length == UInt64(bytes.count - headerSize) else {
            return .failure(SpoolError("truncated or padded: header says \(length) payload bytes, file has \(bytes.count - headerSize)"))
        }
        let payload = Array(bytes[headerSize...])
        guard CRC32.checksum(payload) == readLittleEndian(UInt32.self, bytes, at: 12) else {
            return .failure(SpoolError("checksum mismatch"))
        }
        return .success(payload)
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: T.bitWidth, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    private static func readLittleEndian<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        var value: T = 0
        for index in 0..<(T.bitWidth / 8) {
            value |= T(bytes[offset + index]) << (8 * index)
        }
        return value
    }
}

/// CRC-32 (IEEE 802.3, as in zlib).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 {
            crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
        }
        return crc
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            table.withUnsafeBufferPointer { table in
                var crc: UInt32 = 0xFFFF_FFFF
                for byte in buffer {
                    crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
                }
                return crc ^ 0xFFFF_FFFF
            }
        }
    }
}
