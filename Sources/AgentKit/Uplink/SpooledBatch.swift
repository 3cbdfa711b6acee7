import CollectorProto
import GRPCCore

/// A spooled batch on its way out. The spool holds the batch's encoded
/// contents; the sequence and the drop mark are appended as two more
/// protobuf fields when it is sent (for a scalar field the last occurrence
/// wins), so the bytes on disk go to the wire without a decode/encode.
struct SpooledBatch: Sendable {
    var sequence: UInt64
    var droppedThrough: UInt64
    var contents: [UInt8]

    var wireBytes: [UInt8] {
        var bytes = contents
        bytes.reserveCapacity(contents.count + 22)
        appendVarintField(number: 2, value: sequence, to: &bytes)
        appendVarintField(number: 3, value: droppedThrough, to: &bytes)
        return bytes
    }

    private func appendVarintField(number: UInt64, value: UInt64, to bytes: inout [UInt8]) {
        appendVarint(number << 3, to: &bytes)  // wire type 0: varint
        appendVarint(value, to: &bytes)
    }

    private func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}

struct SpooledBatchSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: SpooledBatch) throws -> Bytes {
        Bytes(message.wireBytes)
    }
}
