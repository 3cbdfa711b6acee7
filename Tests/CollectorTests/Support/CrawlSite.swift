import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A real local HTTP server for crawls: each path prefix is one instance,
/// and each instance answers its `/system-info` as the test says, well or
/// badly (slow, failing, malformed, huge).
final class CrawlSite: Sendable {
    enum Behaviour: Sendable {
        case document(String)
        case status(Int)
        case slow(Duration)
        case malformed
        case huge(Int)
    }

    let host: String
    let port: Int
    final class Behaviours: Sendable {
        let table = Mutex<[String: Behaviour]>([:])
        let hits = Mutex<[String: Int]>([:])
    }

    private let behaviours: Behaviours
    private let task: Task<Void, any Error>

    /// Requests each instance got.
    var hits: [String: Int] { behaviours.hits.withLock { $0 } }

    func url(_ name: String) -> String { "http://\(host):\(port)/\(name)" }

    func set(_ name: String, _ behaviour: Behaviour) {
        behaviours.table.withLock { $0[name] = behaviour }
    }

    static func start(host: String = "127.0.0.1") async throws -> CrawlSite {
        let behaviours = Behaviours()
        let router = Router()
        router.get("/:name/system-info") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            behaviours.hits.withLock { $0[name, default: 0] += 1 }
            let behaviour = behaviours.table.withLock { $0[name] } ?? .status(404)
            func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
                Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
            }
            switch behaviour {
            case .document(let json): return text(.ok, json)
            case .status(let code): return text(HTTPResponse.Status(code: code), "{}")
            case .slow(let delay):
                try await Task.sleep(for: delay)
                return text(.ok, "{}")
            case .malformed: return text(.ok, "<html>not json</html>")
            case .huge(let bytes): return text(.ok, "{\"pad\": \"" + String(repeating: "x", count: bytes) + "\"}")
            }
        }
        let (bound, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(router: router, configuration: .init(address: .hostname(host, port: 0)),
                                      onServerRunning: { channel in
                                          continuation.yield(channel.localAddress?.port ?? 0)
                                          continuation.finish()
                                      })
        let task = Task { try await application.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await value in bound { port = value }
        return CrawlSite(host: host, port: port, behaviours: behaviours, task: task)
    }

    private init(host: String, port: Int, behaviours: Behaviours, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.behaviours = behaviours
        self.task = task
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
