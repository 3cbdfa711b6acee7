import InfluxQL

/// The InfluxDB API's two parsers: `/query`'s InfluxQL and `/write`'s line
/// protocol. Both take any bytes from the network.
enum InfluxFuzz {
    static func query(_ bytes: [UInt8]) {
        // Nesting is bounded (Parser.maxDepth), so no input reaches the
        // stack's end; a refusal is a ParseError, never a trap.
        _ = try? Parser.parseQuery(String(decoding: bytes, as: UTF8.self))
    }

    static func lines(_ bytes: [UInt8]) {
        let (points, _) = LineProtocol.parse(bytes, precision: .nanoseconds, now: 1_704_067_200_000_000_000)
        for point in points where point.measurement.isEmpty || point.fields.isEmpty {
            fatalError("a point without a measurement or a field: \(point)")
        }
        let checked = WriteValidation.validate(points) { _, _ in nil }
        if checked.accepted.count + checked.dropped != points.count { fatalError("validation lost points") }
    }
}
