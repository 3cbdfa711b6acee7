import CZlib

/// zlib's deflate, for event documents: JSON that repeats its keys
/// compresses several times over.
enum Deflate {
    struct Failure: Error, CustomStringConvertible {
        var code: Int32
        var description: String { "zlib error \(code)" }
    }

    static func compress(_ input: [UInt8]) throws -> [UInt8] {
        var length = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(length) + 4)
        // The original length first, so decompression sizes its buffer once.
        let size = UInt32(input.count)
        output[0] = UInt8(size & 0xFF)
        output[1] = UInt8(size >> 8 & 0xFF)
        output[2] = UInt8(size >> 16 & 0xFF)
        output[3] = UInt8(size >> 24)
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { source in
                compress2(out.baseAddress.map { $0 + 4 }, &length, source.baseAddress, uLong(input.count), 6)
            }
        }
        guard status == Z_OK else { throw Failure(code: status) }
        return Array(output.prefix(Int(length) + 4))
    }

    static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        guard input.count >= 4 else { throw Failure(code: Z_DATA_ERROR) }
        let size = Int(input[0]) | Int(input[1]) << 8 | Int(input[2]) << 16 | Int(input[3]) << 24
        // A block holds at most a compaction round's documents.
        guard size <= 1 << 30 else { throw Failure(code: Z_DATA_ERROR) }
        var output = [UInt8](repeating: 0, count: max(size, 1))
        var length = uLong(size)
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { source in
                uncompress(out.baseAddress, &length, source.baseAddress.map { $0 + 4 }, uLong(input.count - 4))
            }
        }
        guard status == Z_OK, Int(length) == size else { throw Failure(code: status) }
        return Array(output.prefix(size))
    }
}
