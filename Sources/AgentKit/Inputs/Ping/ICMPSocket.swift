#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One ICMP or ICMPv6 socket: raw where the process may (root, or
/// CAP_NET_RAW as the systemd unit grants), else an unprivileged datagram
/// ICMP socket where `net.ipv4.ping_group_range` allows it.
public final class ICMPSocket {
    let family: ICMPMessage.Family
    let descriptor: Int32
    /// Raw IPv4 sockets deliver the IP header; datagram sockets and ICMPv6
    /// sockets do not.
    let includesIPHeader: Bool
    /// Datagram sockets: the kernel sets the echo identifier (the socket's
    /// "port") and hands this socket only its own replies.
    let isDatagram: Bool

    struct OpenError: Error, CustomStringConvertible {
        var description: String
    }

    /// Which kind of socket to open.
    public enum Kind: String, Sendable, CaseIterable {
        /// Raw if permitted, else datagram.
        case auto, raw, datagram
    }

    init(family: ICMPMessage.Family, kind: Kind = .auto) throws {
        self.family = family
        let domain = family == .v4 ? AF_INET : AF_INET6
        let proto = family == .v4 ? Int32(IPPROTO_ICMP) : Int32(IPPROTO_ICMPV6)
        var fd: Int32 = kind == .datagram ? -1 : socket(domain, Int32(SOCK_RAW.rawValue), proto)
        var datagram = false
        if fd < 0 && kind != .raw {
            let rawError = kind == .datagram ? EPERM : errno
            fd = socket(domain, Int32(SOCK_DGRAM.rawValue), proto)
            guard fd >= 0 else {
                throw OpenError(description: "cannot open an ICMP\(family == .v6 ? "v6" : "") socket: raw: \(String(cString: strerror(rawError))); "
                    + "datagram: \(String(cString: strerror(errno))) (grant CAP_NET_RAW or widen net.ipv4.ping_group_range)")
            }
            datagram = true
        }
        guard fd >= 0 else {
            throw OpenError(description: "cannot open a raw ICMP\(family == .v6 ? "v6" : "") socket: \(String(cString: strerror(errno))) (grant CAP_NET_RAW)")
        }
        descriptor = fd
        isDatagram = datagram
        includesIPHeader = family == .v4 && !datagram
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var size: Int32 = 1 << 20
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(descriptor) }

    /// Sends; false when the kernel refused at once (no route, say).
    func send(_ bytes: [UInt8], to address: SweepAddress) -> Bool {
        address.withSockaddr { pointer, length in
            bytes.withUnsafeBytes { buffer in
                sendto(descriptor, buffer.baseAddress, buffer.count, 0, pointer, length) == buffer.count
            }
        }
    }

    /// Every datagram waiting now, with the address it came from.
    private var buffer = [UInt8](repeating: 0, count: 2048)

    func receiveAll(_ handle: (ICMPMessage, SweepAddress?) -> Void) {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = buffer.withUnsafeMutableBytes { bytes in
                withUnsafeMutablePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, bytes.baseAddress, bytes.count, 0, $0, &length) }
                }
            }
            guard count > 0 else { return }
            let message = buffer.withUnsafeBytes {
                ICMPMessage.parse(UnsafeRawBufferPointer(rebasing: $0[0..<count]), family: family, includesIPHeader: includesIPHeader)
            }
            handle(message, SweepAddress(storage: storage))
        }
    }
}

/// An IPv4 or IPv6 address to ping.
public enum SweepAddress: Hashable, Sendable {
    case v4(UInt32)
    case v6(UInt128)

    public var family: ICMPMessage.Family {
        switch self {
        case .v4: .v4
        case .v6: .v6
        }
    }

    init?(storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr } }
            self = .v4(UInt32(bigEndian: address))
        case AF_INET6:
            let bytes = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                }
            }
            self = .v6(bytes.reduce(UInt128(0)) { ($0 << 8) | UInt128($1) })
        default:
            return nil
        }
    }

    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        switch self {
        case .v4(let value):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr = in_addr(s_addr: value.bigEndian)
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6(let value):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            withUnsafeMutableBytes(of: &address.sin6_addr) { bytes in
                for index in 0..<16 { bytes[index] = UInt8(truncatingIfNeeded: value >> (8 * (15 - index))) }
            }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }
}
