import GRPCCore
import NIOSSL

/// Whether a failed call failed because this side did not trust the
/// collector's certificate: the likeliest first-hour slip (no `--ca` for a
/// collector with its development CA), which gRPC reports only as a
/// connection closed before the HTTP/2 preface. Found by walking the
/// error's causes to the TLS handshake's own error.
public enum TLSTrustFailure {
    /// The verifier's words (`certificate verify failed`, ...) when the
    /// certificate was not trusted; nil for every other failure.
    public static func reason(in error: any Error) -> String? {
        var current: (any Error)? = error
        var depth = 0
        while let error = current, depth < 8 {
            if let reason = verifyFailure(error) { return reason }
            switch error {
            case let error as RPCError: current = error.cause
            case let error as RuntimeError: current = error.cause
            default: current = nil
            }
            depth += 1
        }
        return nil
    }

    private static func verifyFailure(_ error: any Error) -> String? {
        let text = String(describing: error)
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return "its certificate does not carry the name or address dialled"
        }
        guard error is NIOSSLError || error is BoringSSLError || text.contains("CERTIFICATE_VERIFY_FAILED") else { return nil }
        guard text.contains("CERTIFICATE_VERIFY_FAILED") else { return nil }
        return "its certificate is not signed by a CA this side trusts (certificate verify failed)"
    }
}
