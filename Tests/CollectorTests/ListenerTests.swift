@testable import AgentKit
import CollectorModel
import CollectorServer
import Foundation
import Logging
import NIOPosix
import ServiceSupport
import Synchronization
import Testing

/// A port that is taken: every listener says which listener, which
/// address and why, and the collector never says it is ready.
@Suite("Listeners that cannot bind", .serialized)
struct ListenerTests {
    /// A socket bound (and listening) on a free loopback port, held until the test ends.
    final class TakenPort: Sendable {
        let port: Int
        private let descriptor: Int32

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            guard fd >= 0, bound == 0, named == 0, listen(fd, 1) == 0 else {
                close(fd)
                throw CLIStyleError("cannot bind a test port")
            }
            descriptor = fd
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(descriptor) }
    }

    /// Runs a collector on the given ports; what `run` threw, and whether it said ready.
    func runCollector(grpcPort: Int, httpPort: Int) async throws -> (error: (any Error)?, ready: Bool) {
        let directory = try TemporaryDirectory("listen")
        let options = ServeOptions(dataDirectory: directory.path, config: RunningCollector.testConfig,
                                   grpcListen: HostPort(host: "127.0.0.1", port: grpcPort),
                                   httpListen: HostPort(host: "127.0.0.1", port: httpPort),
                                   notifier: SystemdNotifier(environment: [:]))
        var logger = Logger(label: "listen-test")
        logger.logLevel = .critical
        let application = try await CollectorApplication(options: options, logger: logger)
        let said = ReadyFlag()
        let run = Task {
            try await application.run { _ in said.set() }
        }
        let timeout = Task {
            try await Task.sleep(for: .seconds(30))
            run.cancel()
        }
        defer { timeout.cancel() }
        do {
            try await run.value
            return (nil, said.isSet)
        } catch {
            return (error, said.isSet)
        }
    }

    @Test func aTakenGRPCPortIsNamedAndTheCollectorNeverSaysReady() async throws {
        let taken = try TakenPort()
        let (error, ready) = try await runCollector(grpcPort: taken.port, httpPort: 0)
        let listen = try #require(error as? ListenError, "\(String(describing: error))")
        #expect(listen.description == "gRPC listen 127.0.0.1:\(taken.port): address already in use")
        #expect(!ready)
    }

    @Test func aTakenHTTPPortIsNamedAndTheCollectorNeverSaysReady() async throws {
        let taken = try TakenPort()
        let (error, ready) = try await runCollector(grpcPort: 0, httpPort: taken.port)
        let listen = try #require(error as? ListenError, "\(String(describing: error))")
        #expect(listen.description == "HTTP listen 127.0.0.1:\(taken.port): address already in use")
        #expect(!ready)
    }

    @Test func aTakenIntakePortEndsTheAgentNamingIt() async throws {
        let directory = try TemporaryDirectory("listen-agent")
        let collector = try await RunningCollector.start(dataDirectory: directory.path + "/collector")
        let token = try await collector.createToken(scopes: ["ingest"], site: "listen")
        let taken = try TakenPort()
        var config = RunningAgent.config(stateDir: directory.path + "/agent", collector: collector, token: token)
        config.inputs[EventsInput.self].listen = "127.0.0.1:\(taken.port)"
        var logger = Logger(label: "listen-test")
        logger.logLevel = .critical
        let runtime = try await AgentRuntime(config: config, logger: logger)
        let error = await #expect(throws: ListenError.self) { try await runtime.run() }
        #expect(error?.description == "intake listen 127.0.0.1:\(taken.port): address already in use")
        await collector.stop()
    }

    @Test func aListenerWaitsForItsPortOrItsFailure() async throws {
        let bound = Listener(name: "test", address: "127.0.0.1:1")
        async let port = bound.port()
        bound.bound(port: 4242)
        #expect(await port == 4242)
        #expect(await bound.port() == 4242)

        let failing = Listener(name: "test", address: "127.0.0.1:2")
        async let never = failing.port()
        await #expect(throws: ListenError.self) {
            try await failing.serve { throw CLIStyleError("refused") }
        }
        #expect(await never == nil)
    }
}

final class ReadyFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
