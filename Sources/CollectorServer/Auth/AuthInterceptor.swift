import CollectorModel
import GRPCCore
import Logging

/// Refuses every RPC whose token is missing, unknown, revoked or without the
/// method's scope, before any handler runs.
public struct AuthInterceptor: ServerInterceptor {
    let authenticator: Authenticator
    let logger: Logger

    public init(authenticator: Authenticator, logger: Logger) {
        self.authenticator = authenticator
        self.logger = logger
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        switch MethodScopes.requirement(for: context.descriptor) {
        case .none:
            return try await next(request, context)
        case .closed:
            throw RPCError(code: .permissionDenied, message: "\(context.descriptor.fullyQualifiedMethod) is not open to any token")
        case .scope(let scope):
            let principal: Principal
            do {
                principal = try await authenticator.authenticate(authorization: request.metadata.authorization, requiring: scope)
            } catch let failure as AuthFailure {
                logger.notice("refused RPC", metadata: [
                    "method": "\(context.descriptor.fullyQualifiedMethod)", "peer": "\(context.remotePeer)", "reason": "\(failure)",
                ])
                throw RPCError(failure)
            }
            // Handlers read who called from here: a call is authenticated once.
            return try await Principal.$current.withValue(principal) { try await next(request, context) }
        }
    }
}

extension Metadata {
    var authorization: String? {
        self[stringValues: "authorization"].first(where: { _ in true })
    }
}

extension RPCError {
    init(_ failure: AuthFailure) {
        switch failure {
        case .missingScope: self.init(code: .permissionDenied, message: failure.description)
        case .rateLimited: self.init(code: .resourceExhausted, message: failure.description)
        default: self.init(code: .unauthenticated, message: failure.description)
        }
    }
}
