#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CollectorModel

/// Why the spool could not do what was asked.
public struct SpoolError: Error, CustomStringConvertible {
    public let message: String
    /// The `errno` behind a failed system call, to tell a passing shortage
    /// (too many open files) from a damaged file.
    let code: Int32?

    public init(_ message: String) {
        self.message = message
        code = nil
    }

    private init(message: String, code: Int32) {
        self.message = message
        self.code = code
    }

    public var description: String { "spool: \(message)" }

    /// An error naming what failed plus the current `errno`; build it right
    /// after the failing call, before anything else can overwrite `errno`.
    static func system(_ what: String) -> SpoolError {
        let code = errno
        return SpoolError(message: "\(what): \(String(cString: strerror(code)))", code: code)
    }

    init(_ failure: DurableFile.Failure) {
        self.init(message: failure.message, code: failure.code)
    }

    /// A failure that says nothing about the file itself; retrying later may work.
    var isTransient: Bool {
        guard let code else { return false }
        return [EMFILE, ENFILE, ENOMEM, EAGAIN, EINTR].contains(code)
    }
}
