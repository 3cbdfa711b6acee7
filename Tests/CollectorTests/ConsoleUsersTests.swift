import CollectorConsole
import CollectorModel
import CollectorProto
import Foundation
import GRPCCore
import Testing

/// The console's users through the Admin RPCs collectorctl calls: made,
/// listed without their passwords, changed and removed, each change of
/// password or removal ending the user's sessions at once.
@Suite("Console users: Admin RPCs and sessions", .serialized)
struct ConsoleUsersTests {
    @Test func usersAreMadeListedChangedAndRemovedAndTheirSessionsEndWithThem() async throws {
        let directory = try TemporaryDirectory("console-users")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        defer { Task { await collector.stop() } }
        let admin = bearer(collector.adminToken)
        let base = "http://127.0.0.1:\(collector.addresses.httpPort)"

        try await collector.withClient { client in
            let rpc = Collector_V1_Admin.Client(wrapping: client)
            var create = Collector_V1_CreateUserRequest()
            create.name = "ada"
            create.role = "admin"
            create.password = "first-password"
            let made = try await rpc.createUser(create, metadata: admin)
            #expect(made.name == "ada" && made.role == "admin")

            // The rules, each with its reason; nothing is made.
            for (name, role, password, words) in [("ada", "viewer", "long-enough-1", "exists already"), ("bad name!", "viewer", "long-enough-1", "name"),
                                                  ("bob", "owner", "long-enough-1", "viewer, admin"), ("bob", "viewer", "short", "8-1024")] {
                var request = Collector_V1_CreateUserRequest()
                request.name = name
                request.role = role
                request.password = password
                do {
                    _ = try await rpc.createUser(request, metadata: admin)
                    Issue.record("\(name)/\(role)/\(password) was accepted")
                } catch let error as RPCError {
                    #expect(error.message.contains(words), "\(error.message)")
                }
            }

            // The stored hash is the slow KDF's, salted, never the password.
            let stored = try await collector.store.user(name: "ada")
            #expect(stored?.passwordHash.hasPrefix("pbkdf2-sha256$600000$") == true)
            #expect(stored?.passwordHash.contains("first-password") == false)

            let browser = ConsoleBrowser(base: base)
            #expect(try await browser.login("ada", "first-password").status == 303)
            #expect(try await rpc.listUsers(.init(), metadata: admin).users.map { "\($0.name) \($0.role) \($0.sessions)" } == ["ada admin 1"])

            var change = Collector_V1_SetUserPasswordRequest()
            change.name = "ada"
            change.password = "second-password"
            _ = try await rpc.setUserPassword(change, metadata: admin)
            #expect(try await browser.get("/console/instances").status == 303, "the old password's session still works")
            #expect(try await browser.login("ada", "first-password").status == 401)
            #expect(try await browser.login("ada", "second-password").status == 303)
            #expect(try await browser.get("/console/instances").status == 200)

            var remove = Collector_V1_DeleteUserRequest()
            remove.name = "ada"
            _ = try await rpc.deleteUser(remove, metadata: admin)
            #expect(try await browser.get("/console/instances").status == 303, "a removed user's session still works")
            #expect(try await rpc.listUsers(.init(), metadata: admin).users.isEmpty)
            await #expect(throws: RPCError.self) { _ = try await rpc.deleteUser(remove, metadata: admin) }
        }
    }
}
