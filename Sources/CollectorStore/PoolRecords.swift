import CollectorModel
import Foundation

/// What both backends store of a pool the same way: the limit on its
/// computers, its metadata and interval as columns, and the online series
/// a sweep adds.
enum PoolRecords {
    /// Computers one pool may hold: one sweep's sequence numbers must not wrap.
    static let maxComputers = 4096

    static func requireRoom(existing: Int, added: Int) throws(ValidationError) {
        guard existing + added <= maxComputers else {
            throw ValidationError(field: "address", "a pool holds at most \(maxComputers) computers")
        }
    }

    /// Removing an address the pool does not hold is refused as a whole.
    static func requirePresent(_ addresses: [String], in present: Set<String>, pool name: String) throws(ValidationError) {
        let missing = addresses.filter { !present.contains($0) }
        guard missing.isEmpty else {
            throw ValidationError(field: "address", "not in pool \(name): \(missing.prefix(5).joined(separator: ", "))")
        }
    }

    static func json(_ metadata: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(metadata)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Most pools have no metadata: "{}" skips the decoder.
    static func metadata(json text: String) -> [String: String] {
        text == "{}" ? [:] : (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }

    static func milliseconds(_ interval: Duration) -> Int64 {
        Int64(interval.seconds * 1000)
    }

    /// Each sweep's count of computers up, as the series `pool/<id>.online`;
    /// `results` are the ones stored (of pools the agent sweeps).
    static func onlinePoints(_ results: [Reachability]) -> [SeriesPoint] {
        struct Sweep: Hashable {
            var pool: Int64
            var time: Int64
        }
        var online: [Sweep: Double] = [:]
        for result in results {
            online[Sweep(pool: result.poolID, time: result.time.unixNanos), default: 0] += result.up ? 1 : 0
        }
        return online.map { sweep, count in
            SeriesPoint(namespace: "pool", name: "\(sweep.pool).online", time: Date(unixNanos: sweep.time), value: count)
        }.sorted { ($0.name, $0.time) < ($1.name, $1.time) }
    }
}
