import CollectorModel
import CollectorStore
import GRPCCore

extension RPCError {
    init(_ error: ValidationError) {
        self.init(code: .invalidArgument, message: error.description)
    }

    /// Maps a store failure onto the status an agent can act on: out of
    /// space is RESOURCE_EXHAUSTED (retry later), anything else UNAVAILABLE.
    init(storeFailure error: any Error) {
        switch error {
        case let error as StoreError:
            switch error {
            case .unknownAgent: self.init(code: .failedPrecondition, message: error.description)
            case .instanceOwnedElsewhere, .agentOwnedElsewhere: self.init(code: .permissionDenied, message: error.description)
            case .full, .lowOnSpace: self.init(code: .resourceExhausted, message: error.description)
            case .unavailable: self.init(code: .unavailable, message: error.description)
            case .conflict: self.init(code: .alreadyExists, message: error.description)
            }
        case let error as ValidationError:
            self.init(error)
        case let error as RPCError:
            self = error
        default:
            self.init(code: .unavailable, message: "store error: \(error)")
        }
    }
}
