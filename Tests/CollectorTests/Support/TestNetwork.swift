import Foundation

/// A network namespace this test owns, joined to the host by a veth pair:
/// addresses of its /24 other than the namespace's own are routed there and
/// answer nothing, so they are "switched-off PCs"; adding an address inside
/// the namespace switches one on. Deleted with the namespace.
final class TestNetwork: Sendable {
    let name: String
    /// The /24's first three octets, e.g. "10.231.17".
    let prefix: String
    let nsInterface: String

    static var isAvailable: Bool {
        geteuid() == 0 && (FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") || FileManager.default.isExecutableFile(atPath: "/sbin/ip"))
    }

    init() throws {
        let tag = String(UInt32.random(in: 0..<0xFFFFF), radix: 16)
        name = "coltest\(tag)"
        prefix = "10.\(Int.random(in: 200...250)).\(Int.random(in: 1...254))"
        let host = "cvh\(tag)"
        nsInterface = "cvn\(tag)"
        try Self.ip("netns", "add", name)
        try Self.ip("link", "add", host, "type", "veth", "peer", "name", nsInterface)
        try Self.ip("link", "set", nsInterface, "netns", name)
        try Self.ip("addr", "add", "\(prefix).1/24", "dev", host)
        try Self.ip("link", "set", host, "up")
        try inside("ip", "addr", "add", "\(prefix).2/24", "dev", nsInterface)
        try inside("ip", "link", "set", nsInterface, "up")
        try inside("ip", "link", "set", "lo", "up")
    }

    /// Switches a "PC" on: the namespace answers for it from now on.
    func bringUp(_ host: Int) throws {
        try inside("ip", "addr", "add", "\(prefix).\(host)/24", "dev", nsInterface)
    }

    func address(_ host: Int) -> String { "\(prefix).\(host)" }

    func inside(_ arguments: String...) throws {
        try Self.run(["ip", "netns", "exec", name] + arguments)
    }

    func remove() {
        try? Self.ip("netns", "del", name)
    }

    static func ip(_ arguments: String...) throws {
        try run(["ip"] + arguments)
    }

    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let error = Pipe()
        process.standardError = error
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw CLIStyleError("\(arguments.joined(separator: " ")): \(text)")
        }
    }
}
