#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks run before TLS files are handed to the transport. The transport
/// only opens them when the server binds or the first connection is made, and
/// then reports a generic "couldn't create SSL context"; checking up front
/// names the file.
enum TLSFileChecks {
    static func requireReadable(_ path: String, role: String) throws {
        guard access(path, R_OK) == 0 else {
            throw TLSSetupError.unreadableFile(path: path, role: role, reason: currentErrnoDescription())
        }
    }

    /// Design rule: TLS keys are read from files with tight modes. A key that
    /// group or others can read may already have leaked, and a service that
    /// starts anyway hides that from its operator.
    static func requirePrivateKey(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw TLSSetupError.unreadableFile(path: path, role: "private key", reason: currentErrnoDescription())
        }
        let permissions = Int(info.st_mode) & 0o777
        guard permissions & 0o077 == 0 else {
            throw TLSSetupError.keyFileTooOpen(path: path, mode: permissions)
        }
        try requireReadable(path, role: "private key")
    }
}

func currentErrnoDescription() -> String {
    String(cString: strerror(errno))
}
