@testable import CollectorCLI
import Foundation
import Testing

@Suite("Importing access.json", .serialized)
struct ImportAccessJSONTests {
    /// A token shaped like tokenlib's: base64url(JSON payload + 64-byte signature).
    static func tokenlibToken(identity: String) -> String {
        var bytes = Data(#"{"identity": "\#(identity)", "salt": "a1b2", "expires": 4102444800}"#.utf8)
        bytes.append(Data((0..<64).map { UInt8($0) }))
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test func importedTokensKeepWorkingOnTheEventService() async throws {
        let directory = try TemporaryDirectory("access-json")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let token = Self.tokenlibToken(identity: "shop-frontend")
        let file = directory.file("access.json")
        try Data(#"["\#(token)"]"#.utf8).write(to: URL(fileURLWithPath: file))
        let arguments = ["--server", collector.grpcTarget.description, "--ca", collector.caPath,
                         "--token-file", directory.file("collector/admin.token"), "token", "import-access-json", file]
        #expect(await CollectorCtl.run(arguments: arguments) == 0)
        // Twice changes nothing.
        #expect(await CollectorCtl.run(arguments: arguments) == 0)
        let tokens = try await collector.store.tokens().filter { $0.name == "shop-frontend" }
        #expect(tokens.count == 1)
        #expect(tokens.first?.secretHash.contains(token) == false)

        let base = "http://127.0.0.1:\(collector.addresses.httpPort)"
        let logged = try await http("POST", base + "/log/event/", headers: ["Authorization": "Token \(token)"], body: #"{"uid": 1, "event": "imported"}"#)
        #expect(logged.status == 200)
        await collector.stop()
    }

    @Test func everyAccessFileShapeIsRead() throws {
        let token = Self.tokenlibToken(identity: "a")
        #expect(AccessFile.identity(inToken: token) == "a")
        let shapes = [
            #"["\#(token)"]"#,
            #"[{"token": "\#(token)", "identity": "a"}]"#,
            #"{"a": "\#(token)"}"#,
            #"{"\#(token)": "a"}"#,
            #"{"tokens": ["\#(token)"]}"#,
        ]
        for shape in shapes {
            #expect(try AccessFile.entries(from: Data(shape.utf8)) == [.init(token: token, identity: "a")], "\(shape)")
        }
        #expect(throws: CLIError.self) { try AccessFile.entries(from: Data("[1]".utf8)) }
        #expect(throws: CLIError.self) { try AccessFile.entries(from: Data("nope".utf8)) }
    }
}
