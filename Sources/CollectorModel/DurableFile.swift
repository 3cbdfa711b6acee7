#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way both daemons replace a file so that after a crash either the
/// old or the new content is there, never a torn mix: a temporary file
/// beside it, written and fsynced, renamed over it, and the directory
/// fsynced so the rename itself survives power loss.
public enum DurableFile {
    /// What failed, with the `errno` behind it (the spool tells a passing
    /// shortage, such as too many open files, from a damaged file by it).
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public let code: Int32

        /// Build it right after the failing call, before anything else can
        /// overwrite `errno`.
        public init(_ what: String) {
            code = errno
            message = "\(what): \(String(cString: strerror(code)))"
        }

        public var description: String { message }
    }

    /// Replaces `path` with `chunks`, one after another. `syncDirectory`
    /// false leaves the directory's fsync to a caller that renames several
    /// files and syncs once.
    public static func replace(_ chunks: [[UInt8]], to path: String, mode: mode_t = 0o600,
                             temporarySuffix: String = ".tmp", syncDirectory: Bool = true) throws(Failure) {
        let temporary = path + temporarySuffix
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure("cannot create \(temporary)") }
        do throws(Failure) {
            for chunk in chunks { try write(chunk, to: fd, path: temporary) }
            guard fsync(fd) == 0 else { throw Failure("cannot sync \(temporary)") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let failure = Failure("cannot rename \(temporary) to \(path)")
            unlink(temporary)
            throw failure
        }
        if syncDirectory { try sync(directory(of: path)) }
    }

    /// fsync of a file or a directory: after a rename or a deletion in a
    /// directory, of the directory.
    public static func sync(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("cannot open \(path) to sync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure("cannot sync \(path)") }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// All of `bytes` to an open file, through short writes and signals.
    public static func write(_ bytes: [UInt8], to fd: Int32, path: String) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure("cannot write \(path)")
            }
            offset += written
        }
    }
}
