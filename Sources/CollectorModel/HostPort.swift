/// `host:port` as written in configs and flags; IPv6 hosts in brackets
/// (`[::1]:7443`).
public struct HostPort: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String, field: String = "address") throws(ValidationError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ValidationError(field: field, "'\(text)' is not [IPv6]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                throw ValidationError(field: field, "'\(text)' is not HOST:PORT")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw ValidationError(field: field, "'\(text)' has no host") }
        guard host.allSatisfy({ !$0.isWhitespace && $0 != "/" }) else {
            throw ValidationError(field: field, "'\(host)' is not a host name or address")
        }
        if text.hasPrefix("[") && !host.contains(":") {
            throw ValidationError(field: field, "'\(host)' in brackets is not an IPv6 address")
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError(field: field, "'\(text)' has no port in 0...65535")
        }
        self.init(host: String(host), port: port)
    }

    /// Several, comma-separated, as `--collector a:7443,b:7443` and
    /// `--server` take them for collectors sharing one store.
    public static func list(parsing text: String, field: String) throws(ValidationError) -> [HostPort] {
        var list: [HostPort] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            list.append(try HostPort(parsing: String(entry).trimmingWhitespace(), field: field))
        }
        return list
    }

    public var isIPv6: Bool { host.contains(":") }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
