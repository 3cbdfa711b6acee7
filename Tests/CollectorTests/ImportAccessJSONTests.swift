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

    /// The stats service's own `access.json`: a list of users, each with
    /// its apiaccesstoken tokens (the shape its tokenmanager writes).
    static func statsServiceFile(_ users: [(username: String, tokens: [String])]) -> String {
        let entries = users.enumerated().map { index, user in
            let tokens = user.tokens.map { #"{"access_token": "\#($0)", "access_secret": "\#(String(repeating: "ab", count: 64))"}"# }
            return #"{"username": "\#(user.username)", "tokens": [\#(tokens.joined(separator: ", "))], "id": "user_\#(index)", "name": "Stats User"}"#
        }
        return "[" + entries.joined(separator: ", ") + "]"
    }

    @Test func theRealFileIsImportedAndItsTokensKeepWorking() async throws {
        let directory = try TemporaryDirectory("access-json")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let bob = [Self.tokenlibToken(identity: "statsbob"), Self.tokenlibToken(identity: "statsbob-2")]
        let alice = Self.tokenlibToken(identity: "alice")
        let file = directory.file("access.json")
        try Data(Self.statsServiceFile([("statsbob", bob), ("alice", [alice])]).utf8).write(to: URL(fileURLWithPath: file))
        let arguments = ["--server", collector.grpcTarget.description, "--ca", collector.caPath,
                         "--token-file", directory.file("collector/admin.token"), "token", "import-access-json", file]
        #expect(await CollectorCtl.run(arguments: arguments) == 0)
        // Twice changes nothing.
        #expect(await CollectorCtl.run(arguments: arguments) == 0)
        let tokens = try await collector.store.tokens()
        #expect(tokens.filter { $0.name == "statsbob" }.count == 2)
        #expect(tokens.filter { $0.name == "alice" }.count == 1)
        #expect(tokens.allSatisfy { !$0.secretHash.contains(alice) })

        let base = "http://127.0.0.1:\(collector.addresses.httpPort)"
        for token in bob + [alice] {
            let logged = try await http("POST", base + "/log/event/", headers: ["Authorization": "Token \(token)"], body: #"{"uid": 1, "event": "imported"}"#)
            #expect(logged.status == 200)
        }
        await collector.stop()
    }

    @Test func aFileInNeitherShapeImportsNothingAndNamesTheEntry() async throws {
        let directory = try TemporaryDirectory("access-json-bad")
        let collector = try await RunningCollector.start(dataDirectory: directory.file("collector"))
        let file = directory.file("access.json")
        let good = #"{"username": "statsbob", "tokens": [{"access_token": "\#(Self.tokenlibToken(identity: "statsbob"))"}]}"#
        try Data("[\(good), {\"user\": \"x\"}]".utf8).write(to: URL(fileURLWithPath: file))
        let before = try await collector.store.tokens().count
        let arguments = ["--server", collector.grpcTarget.description, "--ca", collector.caPath,
                         "--token-file", directory.file("collector/admin.token"), "token", "import-access-json", file]
        #expect(await CollectorCtl.run(arguments: arguments) != 0)
        #expect(try await collector.store.tokens().count == before)
        await collector.stop()
    }

    @Test func bothShapesAreReadAndAnythingElseIsRefusedNamingTheEntry() throws {
        let token = Self.tokenlibToken(identity: "a")
        #expect(try AccessFile.entries(from: Data(Self.statsServiceFile([("statsbob", [token])]).utf8))
            == [.init(token: token, identity: "statsbob")])
        #expect(try AccessFile.entries(from: Data(#"[{"token": "\#(token)", "identity": "a"}]"#.utf8)) == [.init(token: token, identity: "a")])
        let refused: [(String, String)] = [
            ("[1]", "entry 0"),
            ("nope", "not valid JSON"),
            (#"{"a": "\#(token)"}"#, "must be a list"),
            (#"[{"token": "\#(token)", "identity": "a"}, {"username": "b", "tokens": [{"secret": "x"}]}]"#, "entry 1 (user 'b'): tokens[0]"),
            (#"[{"username": "b"}]"#, "entry 0 (user 'b')"),
            (#"[{"name": "b"}]"#, "entry 0 is neither"),
        ]
        for (text, message) in refused {
            #expect("\(text)") {
                _ = try AccessFile.entries(from: Data(text.utf8))
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }
}
