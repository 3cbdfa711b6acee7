import ArgumentParser
import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GRPCCore

/// The web console's users (`/console/` on the collector's HTTP port).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Add, list, change and remove the web console's users.",
        subcommands: [Add.self, List.self, Passwd.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a console user; the password is read from the terminal without echo.",
            discussion: "Example: collectorctl users add alice --role admin   (or: printf '%s\\n' \"$PW\" | collectorctl users add alice --password-stdin)")

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The name to log in with.") var name: String
        @Option(help: "viewer (reads every page) or admin (also changes instances, crawls and pools).") var role = "viewer"
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
        @OptionGroup var output: JSONFlag

        func run() async throws {
            var request = Collector_V1_CreateUserRequest()
            request.name = name
            request.role = role
            request.password = try PasswordPrompt.read(fromStandardInput: passwordStdin)
            let user = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).createUser(request, metadata: metadata)
            }
            if output.json { return print(try Output.json(user)) }
            print("user \(user.name) added (\(user.role))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List console users (never their passwords).")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let users = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).listUsers(.init(), metadata: metadata).users
            }
            if output.json { return print(try Output.json(users)) }
            var table = Table(["NAME", "ROLE", "CREATED", "PASSWORD CHANGED", "SESSIONS"], rightAligned: [4])
            for user in users {
                table.add([user.name, user.role, Output.time(user.createdUnixNano), Output.time(user.passwordChangedUnixNano), String(user.sessions)])
            }
            print(table.render())
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passwd", abstract: "Set a console user's password; their open sessions end.")

        @OptionGroup var connection: ConnectionOptions
        @Argument var name: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            var request = Collector_V1_SetUserPasswordRequest()
            request.name = name
            request.password = try PasswordPrompt.read(fromStandardInput: passwordStdin)
            _ = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).setUserPassword(request, metadata: metadata)
            }
            print("password of \(name) changed; their sessions ended")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a console user; their open sessions end at once.")

        @OptionGroup var connection: ConnectionOptions
        @Argument var name: String

        func run() async throws {
            var request = Collector_V1_DeleteUserRequest()
            request.name = name
            _ = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).deleteUser(request, metadata: metadata)
            }
            print("user \(name) removed")
        }
    }
}
