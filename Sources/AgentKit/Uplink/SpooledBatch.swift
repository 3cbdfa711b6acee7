import CollectorProto
import GRPCCore

/// A spooled batch on its way out. The spool holds the batch's encoded
/// contents; the sequence, the drop mark and the spool's size are appended
/// as more protobuf fields when it is sent (the last occurrence of a field
/// wins; the batch on disk never holds them), so the bytes on disk go to the
/// wire without a decode/encode.
struct SpooledBatch: Sendable {
    var sequence: UInt64
    var droppedThrough: UInt64
    /// Batches waiting in the spool, this one included, and their bytes.
    var spoolBatches: UInt64 = 0
    var spoolBytes: UInt64 = 0
    var contents: [UInt8]

    var wireBytes: [UInt8] {
        var bytes = contents
        bytes.reserveCapacity(contents.count + 48)
        appendVarintField(number: 2, value: sequence, to: &bytes)
        appendVarintField(number: 3, value: droppedThrough, to: &bytes)
        // Batch.spool (10), a SpoolReport of two varints.
        var spool: [UInt8] = []
        appendVarintField(number: 1, value: spoolBatches, to: &spool)
        appendVarintField(number: 2, value: spoolBytes, to: &spool)
        appendVarint(10 << 3 | 2, to: &bytes)  // wire type 2: length-delimited
        appendVarint(UInt64(spool.count), to: &bytes)
        bytes += spool
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
