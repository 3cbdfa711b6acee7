import CollectorTLS
import GRPCCore

/// The words collectorctl uses for a failed call: what happened in plain
/// words, the gRPC status behind it, the collector's message, and for the
/// likeliest slip (no `--ca`) what to do about it.
enum CLIFailure {
    static func describe(_ error: RPCError) -> String {
        if let reason = TLSTrustFailure.reason(in: error) {
            return "\(describe(error.code)): the TLS handshake failed: \(reason). "
                + "Give the CA that signed the collector's certificate: --ca FILE or COLLECTOR_CA=FILE "
                + "(a development collector's is DATA_DIR/ca.pem)"
        }
        return "\(describe(error.code)): \(error.message)"
    }

    static func describe(_ code: RPCError.Code) -> String {
        switch code {
        case .cancelled: "cancelled (CANCELLED)"
        case .unknown: "failed (UNKNOWN)"
        case .invalidArgument: "refused (INVALID_ARGUMENT)"
        case .deadlineExceeded: "timed out (DEADLINE_EXCEEDED)"
        case .notFound: "not found (NOT_FOUND)"
        case .alreadyExists: "already exists (ALREADY_EXISTS)"
        case .permissionDenied: "not allowed (PERMISSION_DENIED)"
        case .resourceExhausted: "collector busy or full (RESOURCE_EXHAUSTED)"
        case .failedPrecondition: "refused (FAILED_PRECONDITION)"
        case .aborted: "aborted (ABORTED)"
        case .outOfRange: "refused (OUT_OF_RANGE)"
        case .unimplemented: "not supported by this collector (UNIMPLEMENTED)"
        case .internalError: "collector error (INTERNAL)"
        case .unavailable: "collector unavailable (UNAVAILABLE)"
        case .dataLoss: "data loss (DATA_LOSS)"
        case .unauthenticated: "not authenticated (UNAUTHENTICATED)"
        default: "\(code)"
        }
    }
}
