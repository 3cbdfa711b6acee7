import CZlib

/// A gzip body (`Content-Encoding: gzip`, Telegraf's default for its
/// InfluxDB output), inflated up to a limit.
enum Gunzip {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func inflate(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        // 16 + MAX_WBITS: a gzip header and trailer, not a bare zlib stream.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "gzip: cannot start inflating")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var input = input
        return try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk.prefix(produced))
                guard output.count <= limit else { throw Failure(description: "gzip: body inflates past \(limit) bytes") }
                if status == Z_STREAM_END { return output }
                guard status == Z_OK else { throw Failure(description: "gzip: not a valid gzip body (zlib \(status))") }
                if stream.avail_in == 0 && produced == 0 { throw Failure(description: "gzip: body ends early") }
            }
        }
    }
}
