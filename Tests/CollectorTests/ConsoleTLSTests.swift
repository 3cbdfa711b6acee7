import Foundation
import Testing

/// `http.tls: true`: the console and the legacy bridge over HTTPS with the
/// gRPC port's certificate (the development CA here), cookies marked
/// `Secure`, and nothing answered in clear. curl stands in for a browser
/// that trusts the CA, as an operator would try it.
@Suite("Console over TLS (http.tls)", .serialized)
struct ConsoleTLSTests {
    /// curl's output and exit status; curl runs on a thread of its own.
    static func curl(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["curl", "-sS", "--max-time", "10"] + arguments
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                do {
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    @Test func theHTTPPortServesTLSWithTheGRPCCertificateAndSecureCookies() async throws {
        let directory = try TemporaryDirectory("console-tls")
        var config = RunningCollector.testConfig
        config.http.tls = true
        let collector = try await RunningCollector.start(dataDirectory: directory.path, config: config)
        defer { Task { await collector.stop() } }
        let port = collector.addresses.httpPort

        let login = try await Self.curl(["--cacert", collector.caPath, "-D", "-", "-o", "/dev/null", "https://127.0.0.1:\(port)/console/login"])
        #expect(login.status == 0, "\(login.output)")
        #expect(login.output.hasPrefix("HTTP/1.1 200"), "\(login.output)")
        #expect(login.output.lowercased().contains("set-cookie: collector_login=") && login.output.contains("Secure"), "\(login.output)")

        // The legacy bridge is on the same port, so also over TLS.
        let ready = try await Self.curl(["--cacert", collector.caPath, "-f", "https://127.0.0.1:\(port)/readyz"])
        #expect(ready.status == 0, "\(ready.output)")

        // Plain HTTP gets no page: the server only speaks TLS there.
        let clear = try await Self.curl(["-f", "http://127.0.0.1:\(port)/console/login"])
        #expect(clear.status != 0, "answered in clear: \(clear.output)")
        // A client that does not trust the CA is refused the handshake.
        let untrusted = try await Self.curl(["-f", "https://127.0.0.1:\(port)/readyz"])
        #expect(untrusted.status != 0, "a client without the CA was served")
    }
}
