import CollectorServer
import Foundation
import ServiceSupport
import Testing

/// sd_notify over a real Unix datagram socket, as systemd listens on it.
@Suite("systemd notify", .serialized)
struct SystemdNotifyTests {
    /// A bound datagram socket standing in for systemd's.
    final class NotifySocket: @unchecked Sendable {
        let path: String
        let descriptor: Int32

        init(path: String) throws {
            self.path = path
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { throw CLIStyleError("cannot bind \(path)") }
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(descriptor) }

        /// Every datagram that arrives within the window.
        func messages(for window: Duration) -> [String] {
            var messages: [String] = []
            let deadline = ContinuousClock.now + window
            var buffer = [UInt8](repeating: 0, count: 512)
            while ContinuousClock.now < deadline {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count > 0 { messages.append(String(decoding: buffer[0..<count], as: UTF8.self)) }
            }
            return messages
        }
    }

    @Test func theCollectorSaysReadyFeedsTheWatchdogAndSaysStopping() async throws {
        let directory = try TemporaryDirectory("notify")
        let listener = try NotifySocket(path: directory.path + "/notify.sock")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "200000"])
        #expect(notifier.watchdogInterval == .milliseconds(100))
        let collector = try await RunningCollector.start(dataDirectory: directory.path, notifier: notifier)
        let running = listener.messages(for: .milliseconds(600))
        #expect(running.contains { $0.hasPrefix("READY=1\nSTATUS=gRPC on \(collector.addresses.grpcPort)") })
        #expect(!running.contains("STOPPING=1"))
        #expect(running.filter { $0 == "WATCHDOG=1" }.count >= 3)
        await collector.stop()
        #expect(listener.messages(for: .milliseconds(300)).contains("STOPPING=1"))
    }

    @Test func withoutTheVariableNothingIsSentAndAnotherProcesssWatchdogIsIgnored() {
        #expect(!SystemdNotifier(environment: [:]).isActive)
        #expect(SystemdNotifier(environment: [:]).watchdogInterval == nil)
        let ours = ["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": String(getpid())]
        #expect(SystemdNotifier(environment: ours).watchdogInterval == .milliseconds(500))
        var theirs = ours
        theirs["WATCHDOG_PID"] = String(getpid() + 1)
        #expect(SystemdNotifier(environment: theirs).watchdogInterval == nil)
    }
}
