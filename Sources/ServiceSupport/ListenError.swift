import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A listener that could not bind, in the words an operator acts on:
/// `intake listen 127.0.0.1:7480: address already in use`, where NIO says
/// `bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)`.
public struct ListenError: Error, Sendable, CustomStringConvertible {
    public var listener: String
    public var address: String
    public var reason: String

    public init(listener: String, address: String, reason: String) {
        self.listener = listener
        self.address = address
        self.reason = reason
    }

    public init(listener: String, address: String, error: any Error) {
        self.init(listener: listener, address: address, reason: Self.reason(error))
    }

    public var description: String { "\(listener) listen \(address): \(reason)" }

    /// The system's words for an errno (lower case, as in a sentence),
    /// else the error's own description.
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as SocketAddressError:
            if case .unknown(let host, _) = error { return "cannot resolve host '\(host)'" }
            return "\(error)"
        default:
            return "\(error)"
        }
    }
}
