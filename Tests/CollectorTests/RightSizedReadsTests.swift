@testable import CollectorTLS
import NIOCore
import NIOEmbedded
import Testing

/// The collector keeps no second TLS read buffer per connection.
@Suite("Right-sized reads")
struct RightSizedReadsTests {
    @Test func aReadIsHandedOnInABufferOfItsOwnSize() throws {
        let channel = EmbeddedChannel(handler: RightSizedReads())
        var tlsBuffer = channel.allocator.buffer(capacity: 32 * 1024)
        tlsBuffer.writeString("PRI * HTTP/2.0")
        try channel.writeInbound(tlsBuffer)

        let read = try #require(try channel.readInbound(as: ByteBuffer.self))
        #expect(read == tlsBuffer)
        #expect(read.capacity < 1024)
        let shared = read.withVeryUnsafeBytes { ours in tlsBuffer.withVeryUnsafeBytes { $0.baseAddress == ours.baseAddress } }
        #expect(!shared)
        _ = try channel.finish()
    }
}
