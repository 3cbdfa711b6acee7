import CollectorConsole
import CollectorModel
import CollectorProto
import CollectorStore
import CollectorWire
import Foundation
import GRPCCore

/// The console's users. Passwords arrive inside TLS, are hashed at once
/// and are never logged; a changed password or a removed user ends every
/// session of theirs in the same transaction.
extension AdminService {
    public func createUser(request: Collector_V1_CreateUserRequest, context: ServerContext) async throws -> Collector_V1_User {
        let name: String, role: UserRole
        do {
            name = try UserRecord.validName(request.name)
            role = try UserRole.parse(request.role.isEmpty ? "viewer" : request.role)
            _ = try UserRecord.validPassword(request.password)
        } catch {
            throw RPCError(error)
        }
        let now = Date()
        let user = UserRecord(name: name, role: role, passwordHash: try await PasswordHash.make(request.password), created: now, passwordChanged: now)
        try await storeCall { try await store.createUser(user) }
        logger.info("console user created", metadata: ["user": "\(name)", "role": "\(role.rawValue)"])
        return Collector_V1_User(user)
    }

    public func listUsers(request: Collector_V1_ListUsersRequest, context: ServerContext) async throws -> Collector_V1_ListUsersResponse {
        var response = Collector_V1_ListUsersResponse()
        response.users = try await storeCall { try await store.users() }.map(Collector_V1_User.init)
        return response
    }

    public func setUserPassword(request: Collector_V1_SetUserPasswordRequest, context: ServerContext) async throws -> Collector_V1_User {
        do {
            _ = try UserRecord.validPassword(request.password)
        } catch {
            throw RPCError(error)
        }
        let hash = try await PasswordHash.make(request.password)
        guard try await storeCall({ try await store.setPassword(name: request.name, hash: hash, at: Date()) }),
              let user = try await storeCall({ try await store.user(name: request.name) })
        else {
            throw RPCError(code: .notFound, message: "no user named '\(request.name)'")
        }
        logger.info("console password changed; the user's sessions ended", metadata: ["user": "\(user.name)"])
        return Collector_V1_User(user)
    }

    public func deleteUser(request: Collector_V1_DeleteUserRequest, context: ServerContext) async throws -> Collector_V1_DeleteUserResponse {
        guard try await storeCall({ try await store.deleteUser(name: request.name) }) else {
            throw RPCError(code: .notFound, message: "no user named '\(request.name)'")
        }
        logger.info("console user removed; their sessions ended", metadata: ["user": "\(request.name)"])
        return Collector_V1_DeleteUserResponse()
    }

    public func deleteInstance(request: Collector_V1_DeleteInstanceRequest, context: ServerContext) async throws -> Collector_V1_DeleteInstanceResponse {
        let uuid = try Self.uuid(request.uuid)
        guard try await storeCall({ try await store.deleteInstance(uuid: uuid) }) else {
            throw RPCError(code: .notFound, message: "no instance \(uuid.uuidString.lowercased())")
        }
        logger.info("instance deleted", metadata: ["uuid": "\(uuid.uuidString.lowercased())"])
        return Collector_V1_DeleteInstanceResponse()
    }
}

extension Collector_V1_User {
    init(_ user: UserRecord) {
        self.init()
        name = user.name
        role = user.role.rawValue
        createdUnixNano = WireTime.nanos(user.created)
        passwordChangedUnixNano = WireTime.nanos(user.passwordChanged)
        sessions = UInt32(clamping: user.sessions)
    }
}
