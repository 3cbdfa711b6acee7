import NIOCore
import NIOPosix

enum LoopbackPort {
    /// A port nothing listens on now: bound and let go, so a server can
    /// take it later in the test.
    static func unused() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw CLIStyleError("no port was bound") }
        return port
    }
}
