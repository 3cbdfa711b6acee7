import CollectorModel
import ServiceSupport

/// The collectors an agent may push to (`collector.addresses`, or the one
/// `collector.address`), several of them sharing one store. The agent
/// starts at a random one, so a fleet of agents spreads over them, and
/// moves to the next when its link is lost. A name with several addresses
/// in DNS stands for all of them, each checked against the name's
/// certificate.
struct CollectorTargets: Sendable {
    struct Target: Sendable, Equatable, CustomStringConvertible {
        var address: HostPort
        /// The name the certificate must carry, when `address` is one of
        /// the addresses a name resolved to.
        var serverName: String?

        var description: String { serverName.map { "\(address) (\($0))" } ?? address.description }
    }

    typealias Resolver = @Sendable (HostPort) async -> [HostPort]

    let configured: [HostPort]
    private let resolve: Resolver
    private(set) var targets: [Target]
    private(set) var index: Int

    /// - Parameter configured: never empty.
    init(_ configured: [HostPort], resolve: @escaping Resolver = CollectorTargets.resolve) async {
        self.configured = configured
        self.resolve = resolve
        targets = await Self.expand(configured, resolve: resolve)
        index = Int.random(in: 0..<targets.count)
    }

    var current: Target { targets[index] }

    /// The next collector; after the last, the list again with its names
    /// resolved anew, since DNS may have changed meanwhile.
    mutating func advance() async {
        index += 1
        if index == targets.count {
            targets = await Self.expand(configured, resolve: resolve)
            index = 0
        }
    }

    static func expand(_ configured: [HostPort], resolve: Resolver) async -> [Target] {
        var targets: [Target] = []
        for address in configured {
            let addresses = await resolve(address)
            if addresses.count > 1 {
                targets += addresses.map { Target(address: $0, serverName: address.host) }
            } else {
                targets.append(Target(address: address))
            }
        }
        return targets
    }

    /// A name's addresses. An address, or a name that does not resolve,
    /// stays as it is, for the transport to report.
    @Sendable static func resolve(_ target: HostPort) async -> [HostPort] {
        let found = await NameResolution.addresses(of: target.host).map { HostPort(host: $0, port: target.port) }
        return found.isEmpty ? [target] : found
    }
}
