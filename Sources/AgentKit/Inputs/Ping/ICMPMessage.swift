/// ICMP and ICMPv6 echo messages: built, checksummed and parsed here, with
/// no I/O, so the parser can be tested (and fuzzed) on bytes alone.
public enum ICMPMessage: Equatable, Sendable {
    case echoReply(identifier: UInt16, sequence: UInt16)
    /// An ICMP error about one of our echo requests (destination
    /// unreachable, time exceeded), naming the request it is about.
    case error(identifier: UInt16, sequence: UInt16, type: UInt8, code: UInt8)
    /// Anything else: another program's traffic, echo requests, junk.
    case other

    public enum Family: Sendable { case v4, v6 }

    static let payloadLength = 48

    /// An echo request. The ICMPv6 checksum is left zero: the kernel fills
    /// it in for ICMPv6 sockets (it covers a pseudo-header only it knows).
    public static func echoRequest(family: Family, identifier: UInt16, sequence: UInt16) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 8 + payloadLength)
        bytes[0] = family == .v4 ? 8 : 128
        bytes[4] = UInt8(identifier >> 8)
        bytes[5] = UInt8(identifier & 0xFF)
        bytes[6] = UInt8(sequence >> 8)
        bytes[7] = UInt8(sequence & 0xFF)
        for index in 8..<bytes.count { bytes[index] = UInt8(truncatingIfNeeded: index) }
        if family == .v4 {
            let sum = checksum(bytes)
            bytes[2] = UInt8(sum >> 8)
            bytes[3] = UInt8(sum & 0xFF)
        }
        return bytes
    }

    /// The Internet checksum (RFC 1071).
    public static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum &+= UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum &+= UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return ~UInt16(truncatingIfNeeded: sum)
    }

    /// Parses what a socket received. `includesIPHeader` is true for raw
    /// IPv4 sockets, which deliver the IP header too.
    public static func parse(_ bytes: [UInt8], family: Family, includesIPHeader: Bool) -> ICMPMessage {
        bytes.withUnsafeBytes { parse($0, family: family, includesIPHeader: includesIPHeader) }
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer, family: Family, includesIPHeader: Bool) -> ICMPMessage {
        var offset = 0
        if includesIPHeader {
            guard let first = bytes.first, first >> 4 == 4 else { return .other }
            offset = Int(first & 0x0F) * 4
            guard offset >= 20 else { return .other }
        }
        guard bytes.count >= offset + 8 else { return .other }
        let type = bytes[offset]
        let code = bytes[offset + 1]
        func field(_ at: Int) -> UInt16 { UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1]) }
        let (reply, errors): (UInt8, Set<UInt8>) = family == .v4 ? (0, [3, 11]) : (129, [1, 3])
        if type == reply {
            return .echoReply(identifier: field(offset + 4), sequence: field(offset + 6))
        }
        guard errors.contains(type) else { return .other }
        // The error quotes the offending packet: its IP header, then (at
        // least) the first 8 bytes of our echo request.
        var inner = offset + 8
        if family == .v4 {
            guard bytes.count > inner, bytes[inner] >> 4 == 4 else { return .other }
            inner += Int(bytes[inner] & 0x0F) * 4
        } else {
            guard bytes.count > inner + 40, bytes[inner] >> 4 == 6, bytes[inner + 6] == 58 else { return .other }
            inner += 40
        }
        guard bytes.count >= inner + 8, bytes[inner] == (family == .v4 ? 8 : 128) else { return .other }
        return .error(identifier: field(inner + 4), sequence: field(inner + 6), type: type, code: code)
    }
}
