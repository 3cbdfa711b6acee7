import CollectorModel
import CollectorStore
import Foundation

/// Runtime and energy per day and pool, from the stored sweeps: what the
/// report RPC, the CSV export and the legacy CSV route all answer from.
struct PoolReporting: Sendable {
    let store: any Store
    let zone: TimeZone

    struct Report: Sendable {
        var days: [ReportDay]
        var pools: [(pool: Pool, days: [PoolDayReport])]
    }

    /// Pools by name (all when empty), in id order; an unknown name is a
    /// validation error naming it.
    func report(from: String, to: String, poolNames: [String]) async throws -> Report {
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

    func reports(_ pools: [Pool], days: [ReportDay]) async throws -> [(pool: Pool, days: [PoolDayReport])] {
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
    func derived(_ pool: Pool, from: Date, to: Date, now: Date = Date()) async throws -> PoolRuntime.Derived {
        let sweeps = try await store.reachability(poolID: pool.id, from: from, to: to)
        let edges = try await store.reachability(poolID: pool.id, lastBefore: from, firstFrom: to)
        return PoolRuntime.derive(sweeps + edges, interval: pool.interval, now: now)
    }
}
