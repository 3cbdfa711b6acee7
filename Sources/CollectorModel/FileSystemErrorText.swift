#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

extension Error {
    /// What a failed file-system call says to an operator: the system's
    /// own words for the `errno` under a FileManager error (`No such file
    /// or directory`), rather than the error's structure. Foundation's
    /// `localizedDescription` would do this too, at the cost of ICU.
    public var fileSystemReason: String {
        if let error = self as? CocoaError, let posix = error.underlying as? POSIXError {
            return String(cString: strerror(posix.code.rawValue))
        }
        if let posix = self as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        return "\(self)"
    }
}
