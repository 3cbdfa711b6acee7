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

/// Writes certificates and keys to new files with an exact mode.
enum PEMFileWriter {
    static let privateKeyMode: mode_t = 0o600
    static let certificateMode: mode_t = 0o644

    /// Creates `path`, failing if it exists. The file is opened with `mode`
    /// from the start, so a key is never readable by others even for a
    /// moment, and `O_EXCL` keeps two processes starting at once from
    /// writing different CAs over each other.
    static func create(_ path: String, contents: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw TLSSetupError.cannotWriteFile(path: path, reason: currentErrnoDescription())
        }
        defer { close(descriptor) }
        do {
            // The umask may have cleared bits of `mode` (a certificate should
            // stay world-readable), so set it exactly.
            guard fchmod(descriptor, mode) == 0 else {
                throw TLSSetupError.cannotWriteFile(path: path, reason: currentErrnoDescription())
            }
            try writeAll(Array(contents.utf8), to: descriptor, path: path)
        } catch {
            // A half-written file would make the next start see "partial"
            // material; leave nothing behind instead.
            unlink(path)
            throw error
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress, buffer.count)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw TLSSetupError.cannotWriteFile(path: path, reason: currentErrnoDescription())
            }
            offset += written
        }
    }
}
