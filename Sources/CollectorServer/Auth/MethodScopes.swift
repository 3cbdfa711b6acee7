import CollectorModel
import GRPCCore

/// The scope each RPC needs. A service or method missing here is refused:
/// new RPCs are closed until someone decides who may call them.
public enum MethodScopes {
    /// Services anyone may call without a token.
    static let openServices: Set<String> = ["grpc.health.v1.Health"]

    static let byService: [String: Scope] = [
        "collector.v1.Ingest": .ingest,
        "collector.v1.Query": .read,
        "collector.v1.Admin": .admin,
    ]

    /// Methods whose scope differs from their service's.
    static let byMethod: [String: Scope] = [
        "collector.v1.Query/Aggregate": .aggregate,
    ]

    public enum Requirement: Equatable, Sendable {
        case none
        case scope(Scope)
        case closed
    }

    public static func requirement(for method: MethodDescriptor) -> Requirement {
        let service = method.service.fullyQualifiedService
        if openServices.contains(service) { return .none }
        if let scope = byMethod[method.fullyQualifiedMethod] ?? byService[service] { return .scope(scope) }
        return .closed
    }
}
