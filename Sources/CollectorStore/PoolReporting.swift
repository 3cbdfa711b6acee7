import CollectorModel
import Foundation

/// Runtime and energy per day and pool, from the stored sweeps: what the
/// report RPC, the CSV export, the legacy chart and CSV routes and the
/// console's pool pages all answer from.
public struct PoolReporting: Sendable {
    public let store: any Store
    public let zone: TimeZone

    public init(store: any Store, zone: TimeZone) {
        self.store = store
        self.zone = zone
    }

    public struct Report: Sendable {
        public var days: [ReportDay]
        public var pools: [(pool: Pool, days: [PoolDayReport])]
    }

    /// Pools by name (all when empty), in id order; an unknown name is a
    /// validation error naming it.
    public func report(from: String, to: String, poolNames: [String]) async throws -> Report {
        let days = try PoolRuntime.days(from: from, to: to, zone: zone)
        var pools = try await store.pools()
        if !poolNames.isEmpty {
            let known = Set(pools.map(\.name))
            if let unknown = poolNames.first(where: { !known.contains($0) }) {
                throw ValidationError(field: "pool", "no pool named '\(unknown)'")
            }
            pools = pools.filter { poolNames.contains($0.name) }
        }
        return Report(days: days, pools: try await reports(pools, days: days))
    }

    public func reports(_ pools: [Pool], days: [ReportDay]) async throws -> [(pool: Pool, days: [PoolDayReport])] {
        guard let first = days.first, let last = days.last else { return pools.map { ($0, []) } }
        var result: [(pool: Pool, days: [PoolDayReport])] = []
        for pool in pools {
            let derived = try await derived(pool, from: first.start, to: last.end)
            result.append((pool, PoolRuntime.report(pool: pool, derived: derived, days: days)))
        }
        return result
    }

    /// On-intervals and coverage of a pool over [from, to), from its sweeps
    /// and each computer's last sweep before and first after the window.
    public func derived(_ pool: Pool, from: Date, to: Date, now: Date = Date()) async throws -> PoolRuntime.Derived {
        let sweeps = try await store.reachability(poolID: pool.id, from: from, to: to)
        let edges = try await store.reachability(poolID: pool.id, lastBefore: from, firstFrom: to)
        return PoolRuntime.derive(sweeps + edges, interval: pool.interval, now: now)
    }

    /// PCs of the pool on at each full hour of one UTC day (`YYYY-MM-DD`),
    /// as the seed's chart API counted them.
    public func hourly(_ pool: Pool, day label: String) async throws -> [Int] {
        let utc = TimeZone(identifier: "UTC") ?? .gmt
        guard let day = try PoolRuntime.days(from: label, to: label, zone: utc).first else {
            throw ValidationError(field: "date", "'\(label)' is not a date")
        }
        let derived = try await derived(pool, from: day.start, to: day.end)
        return PoolRuntime.hourly(computers: pool.computers, derived: derived, day: day)
    }

    /// The seed's CSV export of the pools with these ids (all when empty)
    /// over whole days in the reporting zone; an end before the start
    /// gives the header only.
    public func csv(start: String, end: String, poolIDs: [Int64], dialect: PoolCSV.Dialect) async throws -> String {
        // Validates both dates.
        _ = try PoolRuntime.days(from: start, to: start, zone: zone)
        _ = try PoolRuntime.days(from: end, to: end, zone: zone)
        let days = (try? PoolRuntime.days(from: start, to: end, zone: zone)) ?? []
        var pools = try await store.pools()
        if !poolIDs.isEmpty { pools = pools.filter { poolIDs.contains($0.id) } }
        return PoolCSV.render(days: days, pools: try await reports(pools, days: days), dialect: dialect)
    }
}
