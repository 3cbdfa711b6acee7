import CollectorModel
import Hummingbird
import Logging

/// `GET /metrics` on a loopback port of its own (`metrics.listen`), so the
/// agent can be scraped whichever inputs are on.
struct MetricsEndpoint: Sendable {
    let server: LoopbackServer
    let text: @Sendable () async -> String

    func run() async throws {
        let router = Router()
        let text = text
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: await text())))
        }
        try await server.serve(router)
    }
}
