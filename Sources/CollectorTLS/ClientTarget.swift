/// A `host:port` or `[ipv6]:port` connection target, parsed.
struct ClientTarget: Equatable {
    enum Host: Equatable {
        case ipv4(String)
        case ipv6(String)
        case dns(String)
    }

    let host: Host
    let port: Int

    init(parsing text: String) throws {
        func invalid(_ reason: String) -> TLSSetupError { .invalidTarget(text, reason: reason) }

        let hostText: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid("'[' without ']'") }
            let afterClose = text[text.index(after: close)...]
            guard afterClose.hasPrefix(":") else { throw invalid("no ':port' after ']'") }
            hostText = text[text.index(after: text.startIndex)..<close]
            portText = afterClose.dropFirst()
            guard IPAddressBytes.ipv6(String(hostText)) != nil else {
                throw invalid("'\(hostText)' in brackets is not an IPv6 address")
            }
            host = .ipv6(String(hostText))
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw invalid("no port") }
            hostText = text[..<colon]
            portText = text[text.index(after: colon)...]
            // "::1:7443" is ambiguous: is 7443 the port or part of the address?
            guard !hostText.contains(":") else { throw invalid("an IPv6 address needs brackets, as in [::1]:7443") }
            guard !hostText.isEmpty else { throw invalid("no host") }
            guard hostText.allSatisfy({ !$0.isWhitespace && $0 != "/" }) else {
                throw invalid("'\(hostText)' is not a host name")
            }
            let name = String(hostText)
            host = IPAddressBytes.ipv4(name) != nil ? .ipv4(name) : .dns(name)
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw invalid("port '\(portText)' is not in 1...65535")
        }
        self.port = port
    }
}
