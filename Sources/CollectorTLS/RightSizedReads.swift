import NIOCore

/// Hands each decrypted read on in a buffer of its own size.
///
/// swift-nio-ssl decrypts into one 32 KB buffer per connection and passes
/// that buffer downstream; HTTP/2's frame decoder keeps it until the next
/// read, so every read found it shared and copied all 32 KB, a second
/// buffer for every connection, touched in full. Copying the read instead
/// costs its few hundred bytes, and the TLS buffer stays the handler's own
/// (`bench/load`, 3,000 streams: 124.7 KB of RSS per connection before,
/// 91.7 KB after).
final class RightSizedReads: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let read = unwrapInboundIn(data)
        var own = context.channel.allocator.buffer(capacity: read.readableBytes)
        own.writeImmutableBuffer(read)
        context.fireChannelRead(wrapInboundOut(own))
    }
}
