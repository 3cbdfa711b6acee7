import CollectorModel
import CollectorStore
import Foundation
import Testing

@Suite("Pool store, on SQLite and PostgreSQL")
struct PoolStoreTests {
    typealias TestStore = any SharedStore

    static func lab(_ name: String = "lab-1", agent: String = "agent-1", computers: [String] = ["10.0.0.2", "10.0.0.10", "pc-1.lab"]) -> Pool {
        Pool(name: name, room: "R 1.23", metadata: ["building": "B", "floor": "1"], watts: 95.5, standbyWatts: 2.25, agentID: agent,
             interval: .seconds(90), computers: computers)
    }

    static func time(_ seconds: Int) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + Double(seconds)) }

    static func register(_ store: TestStore, _ id: String = "agent-1") async throws {
        _ = try await store.register(AgentRegistration(agentID: id, site: "lab", hostname: "host", agentVersion: "1",
                                                       instance: nil, instanceUUID: nil), at: Date())
    }

    /// Sweep results reach the store only inside an agent's batch.
    static func sweep(_ store: TestStore, agent: String = "agent-1", sequence: UInt64, _ results: [Reachability]) async throws {
        #expect(try await store.commit([IngestBatch(agentID: agent, sequence: sequence, reachability: results)], at: Date()) == [.stored])
    }

    @Test(arguments: Backend.allCases)
    func aCreatedPoolIsStoredWholeAndReadBack(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let created = try await store.createPool(Self.lab())
            var expected = Self.lab()
            expected.id = created.id
            #expect(created == expected)
            #expect(created.id > 0)
            #expect(try await store.pool(name: "lab-1") == expected)
            #expect(try await store.pools() == [expected])
            #expect(try await store.pool(name: "lab-2") == nil)
            // The name is stored trimmed, and the trimmed name is what is taken.
            let spaced = try await store.createPool(Pool(name: "  lab-2 ", room: "", watts: 0, agentID: "agent-1"))
            #expect(spaced.name == "lab-2")
            #expect(spaced.computers == [])
            #expect(spaced.metadata == [:])
            #expect(spaced.standbyWatts == nil)
            #expect(spaced.interval == .seconds(300))
            #expect(try await store.pools().map(\.name) == ["lab-1", "lab-2"])
        }
    }

    @Test(arguments: Backend.allCases)
    func aTakenNameIsAConflictAndChangesNothing(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let first = try await store.createPool(Self.lab())
            await #expect(throws: StoreError.conflict("a pool named 'lab-1' exists already")) {
                try await store.createPool(Self.lab(" lab-1", agent: "agent-2", computers: ["10.9.9.9"]))
            }
            #expect(try await store.pools() == [first])
        }
    }

    @Test(arguments: Backend.allCases)
    func aBadPoolIsRefusedAndChangesNothing(_ backend: Backend) async throws {
        try await backend.withStore { store in
            var negative = Self.lab()
            negative.watts = -1
            await #expect(throws: ValidationError(field: "watts", "must be a number of watts, 0 or more")) {
                try await store.createPool(negative)
            }
            await #expect(throws: ValidationError(field: "agent_id", "must be 1-128 characters of A-Z a-z 0-9 - _ .")) {
                try await store.createPool(Self.lab(agent: "no spaces"))
            }
            // Refused after the pool's row was written: the transaction takes it back.
            let tooMany = (0...SQLiteStore.maxComputersPerPool).map { "10.1.\($0 / 256).\($0 % 256)" }
            await #expect(throws: ValidationError(field: "address", "a pool holds at most 4096 computers")) {
                try await store.createPool(Self.lab(computers: tooMany))
            }
            #expect(try await store.pools() == [])
            #expect(try await store.pool(name: "lab-1") == nil)
            // Exactly the limit fits, and the name was never taken.
            let full = try await store.createPool(Self.lab(computers: Array(tooMany.dropLast())))
            #expect(full.computers == Array(tooMany.dropLast()))
        }
    }

    @Test(arguments: Backend.allCases)
    func updateReplacesFieldsMergesMetadataAndKeepsComputers(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let created = try await store.createPool(Self.lab())
            let change = PoolChange(newName: "lab-9", room: "R 9", watts: 120, standbyWatts: 3, agentID: "agent-2", interval: .seconds(60),
                                    metadata: ["floor": "", "wing": "east"])
            let updated = try await store.updatePool(name: "lab-1", change)
            let expected = Pool(id: created.id, name: "lab-9", room: "R 9", metadata: ["building": "B", "wing": "east"], watts: 120,
                                standbyWatts: 3, agentID: "agent-2", interval: .seconds(60), computers: created.computers)
            #expect(updated == expected)
            #expect(try await store.pool(name: "lab-9") == expected)
            #expect(try await store.pool(name: "lab-1") == nil)
            #expect(try await store.updatePool(name: "lab-1", PoolChange(room: "gone")) == nil)
            // Keeping its own name is no conflict.
            #expect(try await store.updatePool(name: "lab-9", PoolChange(newName: "lab-9"))?.room == "R 9")
        }
    }

    @Test(arguments: Backend.allCases)
    func anUpdateOntoATakenNameOrABadValueChangesNothing(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let one = try await store.createPool(Self.lab("lab-1"))
            let two = try await store.createPool(Self.lab("lab-2", computers: ["10.0.1.1"]))
            await #expect(throws: StoreError.conflict("a pool named 'lab-1' exists already")) {
                try await store.updatePool(name: "lab-2", PoolChange(newName: "lab-1", room: "moved"))
            }
            await #expect(throws: ValidationError(field: "interval", "must be between 1s and 24h")) {
                try await store.updatePool(name: "lab-2", PoolChange(room: "moved", interval: .milliseconds(500)))
            }
            await #expect(throws: ValidationError(field: "name", "must be 1-128 characters without '/'")) {
                try await store.updatePool(name: "lab-2", PoolChange(newName: "a/b"))
            }
            #expect(try await store.pools() == [one, two])
        }
    }

    @Test(arguments: Backend.allCases)
    func deleteRemovesThePoolOnce(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let one = try await store.createPool(Self.lab("lab-1"))
            let two = try await store.createPool(Self.lab("lab-2"))
            #expect(try await store.deletePool(name: "lab-1"))
            #expect(try await store.deletePool(name: "lab-1") == false)
            #expect(try await store.deletePool(name: "never") == false)
            #expect(try await store.pools() == [two])
            #expect(try await store.computerStatus(poolID: one.id) == [])
            // The name is free again, for a new pool with nothing of the old one.
            let again = try await store.createPool(Self.lab("lab-1", computers: ["10.0.0.99"]))
            #expect(again.id != one.id)
            #expect(again.computers == ["10.0.0.99"])
        }
    }

    @Test(arguments: Backend.allCases)
    func computersAreAddedAfterTheLastAndRemovedByAddress(_ backend: Backend) async throws {
        try await backend.withStore { store in
            _ = try await store.createPool(Self.lab(computers: ["a", "b"]))
            // One already held and one named twice are each added once.
            #expect(try await store.addComputers(pool: "lab-1", ["d", "a", "c", "d"])?.computers == ["a", "b", "d", "c"])
            #expect(try await store.removeComputers(pool: "lab-1", ["a", "d"])?.computers == ["b", "c"])
            // Back in, at the end.
            #expect(try await store.addComputers(pool: "lab-1", ["a"])?.computers == ["b", "c", "a"])
            #expect(try await store.addComputers(pool: "nope", ["x"]) == nil)
            #expect(try await store.removeComputers(pool: "nope", ["a"]) == nil)
            #expect(try await store.pool(name: "lab-1")?.computers == ["b", "c", "a"])
        }
    }

    @Test(arguments: Backend.allCases)
    func removingAnAbsentComputerOrAddingPastTheLimitChangesNothing(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let created = try await store.createPool(Self.lab(computers: ["a", "b"]))
            await #expect(throws: ValidationError(field: "address", "not in pool lab-1: x, y")) {
                try await store.removeComputers(pool: "lab-1", ["a", "x", "y"])
            }
            let many = (0..<(SQLiteStore.maxComputersPerPool - 1)).map { "10.2.\($0 / 256).\($0 % 256)" }
            await #expect(throws: ValidationError(field: "address", "a pool holds at most 4096 computers")) {
                try await store.addComputers(pool: "lab-1", many)
            }
            #expect(try await store.pool(name: "lab-1") == created)
            #expect(try await store.addComputers(pool: "lab-1", Array(many.dropLast()))?.computers.count == 4096)
        }
    }

    @Test(arguments: Backend.allCases)
    func poolsAreListedInCreationOrderAndByAgent(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let zeta = try await store.createPool(Self.lab("zeta", agent: "agent-1"))
            let alpha = try await store.createPool(Self.lab("alpha", agent: "agent-2", computers: []))
            let mid = try await store.createPool(Self.lab("mid", agent: "agent-1", computers: ["10.3.0.1"]))
            #expect(try await store.pools() == [zeta, alpha, mid])
            #expect(try await store.pools(agentID: "agent-1") == [zeta, mid])
            #expect(try await store.pools(agentID: "agent-2") == [alpha])
            #expect(try await store.pools(agentID: "agent-3") == [])
            #expect(try await store.pool(name: "alpha") == alpha)
            // Handing a pool to another agent moves it between the lists.
            _ = try await store.updatePool(name: "zeta", PoolChange(agentID: "agent-2"))
            #expect(try await store.pools(agentID: "agent-1").map(\.name) == ["mid"])
            #expect(try await store.pools(agentID: "agent-2").map(\.name) == ["zeta", "alpha"])
        }
    }

    /// On PostgreSQL these run on several connections at once, as from
    /// several collectors: none may be lost, and one name gives one pool.
    @Test(arguments: Backend.allCases)
    func concurrentChangesAreAllKeptAndOneNameMakesOnePool(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let created = try await store.createPool(Self.lab(computers: []))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 {
                    group.addTask { _ = try await store.updatePool(name: "lab-1", PoolChange(metadata: ["key-\(index)": "\(index)"])) }
                    group.addTask { _ = try await store.addComputers(pool: "lab-1", ["10.4.0.\(index)", "10.4.1.\(index)"]) }
                }
                try await group.waitForAll()
            }
            let pool = try await store.pool(name: "lab-1")
            #expect(pool?.metadata == created.metadata.merging((0..<8).map { ("key-\($0)", "\($0)") }) { $1 })
            #expect(pool.map { Set($0.computers) } == Set((0..<8).flatMap { ["10.4.0.\($0)", "10.4.1.\($0)"] }))

            let failures = await withTaskGroup(of: String?.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await store.createPool(Self.lab("shared", computers: ["10.5.0.\(index)"]))
                            return nil
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
            }
            #expect(failures == Array(repeating: "a pool named 'shared' exists already", count: 5))
            #expect(try await store.pools().map(\.name) == ["lab-1", "shared"])
            #expect(try await store.pool(name: "shared")?.computers.count == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func sweepsSetEachComputersStateAndTheCountUp(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await Self.register(store)
            let pool = try await store.createPool(Self.lab(computers: ["a", "b", "c"]))
            let other = try await store.createPool(Self.lab("lab-2", computers: ["a"]))
            #expect(try await store.computersUp() == [:])
            try await Self.sweep(store, sequence: 1, [
                Reachability(poolID: pool.id, address: "a", time: Self.time(100), up: true, rttMilliseconds: 1.5),
                Reachability(poolID: pool.id, address: "b", time: Self.time(100), up: false, reason: .timeout),
                Reachability(poolID: other.id, address: "a", time: Self.time(100), up: true, rttMilliseconds: 0.25),
            ])
            #expect(try await store.computerStatus(poolID: pool.id) == [
                ComputerStatus(address: "a", up: true, lastSweep: Self.time(100), lastUp: Self.time(100), lastRTTMilliseconds: 1.5, reason: nil),
                ComputerStatus(address: "b", up: false, lastSweep: Self.time(100), lastUp: nil, lastRTTMilliseconds: 0, reason: "timeout"),
                ComputerStatus(address: "c", up: false, lastSweep: nil, lastUp: nil, lastRTTMilliseconds: 0, reason: nil),
            ])
            #expect(try await store.computersUp() == [pool.id: 1, other.id: 1])

            // A later sweep replaces the state; when it was last up stays.
            try await Self.sweep(store, sequence: 2, [
                Reachability(poolID: pool.id, address: "a", time: Self.time(200), up: false, reason: .unreachable),
                Reachability(poolID: pool.id, address: "b", time: Self.time(200), up: true, rttMilliseconds: 4),
                Reachability(poolID: pool.id, address: "c", time: Self.time(200), up: true, rttMilliseconds: 8),
            ])
            // An older sweep arriving late is kept as a sweep but is not the state.
            try await Self.sweep(store, sequence: 3, [
                Reachability(poolID: pool.id, address: "a", time: Self.time(150), up: true, rttMilliseconds: 9),
            ])
            #expect(try await store.computerStatus(poolID: pool.id) == [
                ComputerStatus(address: "a", up: false, lastSweep: Self.time(200), lastUp: Self.time(100), lastRTTMilliseconds: 0,
                               reason: "unreachable"),
                ComputerStatus(address: "b", up: true, lastSweep: Self.time(200), lastUp: Self.time(200), lastRTTMilliseconds: 4, reason: nil),
                ComputerStatus(address: "c", up: true, lastSweep: Self.time(200), lastUp: Self.time(200), lastRTTMilliseconds: 8, reason: nil),
            ])
            #expect(try await store.computersUp() == [pool.id: 2, other.id: 1])
            #expect(try await store.reachability(poolID: pool.id, from: Self.time(150), to: Self.time(151)).map(\.rttMilliseconds) == [9])
        }
    }

    @Test(arguments: Backend.allCases)
    func severalSweepsOfOneComputerInOneBatchApplyInOrder(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await Self.register(store)
            let pool = try await store.createPool(Self.lab(computers: ["a", "b"]))
            try await Self.sweep(store, sequence: 1, [
                Reachability(poolID: pool.id, address: "a", time: Self.time(100), up: true, rttMilliseconds: 1),
                Reachability(poolID: pool.id, address: "b", time: Self.time(100), up: true, rttMilliseconds: 2),
                Reachability(poolID: pool.id, address: "a", time: Self.time(200), up: false, reason: .timeout),
                Reachability(poolID: pool.id, address: "a", time: Self.time(50), up: true, rttMilliseconds: 7),
            ])
            #expect(try await store.computerStatus(poolID: pool.id) == [
                ComputerStatus(address: "a", up: false, lastSweep: Self.time(200), lastUp: Self.time(100), lastRTTMilliseconds: 0, reason: "timeout"),
                ComputerStatus(address: "b", up: true, lastSweep: Self.time(100), lastUp: Self.time(100), lastRTTMilliseconds: 2, reason: nil),
            ])
            #expect(try await store.reachability(poolID: pool.id, from: Self.time(0), to: Self.time(1000)).map(\.time)
                    == [Self.time(50), Self.time(100), Self.time(200), Self.time(100)])
        }
    }

    @Test(arguments: Backend.allCases)
    func sweepsOfAPoolTheAgentDoesNotSweepAreDropped(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await Self.register(store, "agent-1")
            try await Self.register(store, "agent-2")
            let theirs = try await store.createPool(Self.lab(agent: "agent-2", computers: ["a"]))
            try await Self.sweep(store, agent: "agent-1", sequence: 1, [
                Reachability(poolID: theirs.id, address: "a", time: Self.time(100), up: true),
                Reachability(poolID: theirs.id + 1000, address: "a", time: Self.time(100), up: true),
            ])
            #expect(try await store.reachability(poolID: theirs.id, from: Self.time(0), to: Self.time(1000)) == [])
            #expect(try await store.computersUp() == [:])
            // Handed over, the pool takes the new agent's sweeps.
            _ = try await store.updatePool(name: "lab-1", PoolChange(agentID: "agent-1"))
            try await Self.sweep(store, agent: "agent-1", sequence: 2, [
                Reachability(poolID: theirs.id, address: "a", time: Self.time(200), up: true),
            ])
            #expect(try await store.computersUp() == [theirs.id: 1])
        }
    }

    @Test(arguments: Backend.allCases)
    func reachabilityInAWindowAndAtItsEdges(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await Self.register(store)
            // Byte order, as SQLite sorts: "B" before "a".
            let pool = try await store.createPool(Self.lab(computers: ["a.lab", "B.lab", "never.lab"]))
            for (index, seconds) in [100, 200, 300, 400].enumerated() {
                try await Self.sweep(store, sequence: UInt64(index + 1), [
                    Reachability(poolID: pool.id, address: "a.lab", time: Self.time(seconds), up: true, rttMilliseconds: Double(seconds) / 100),
                    Reachability(poolID: pool.id, address: "B.lab", time: Self.time(seconds), up: seconds != 300,
                                 reason: seconds == 300 ? .unresolved : nil),
                ])
            }
            let window = try await store.reachability(poolID: pool.id, from: Self.time(200), to: Self.time(400))
            #expect(window == [
                Reachability(poolID: pool.id, address: "B.lab", time: Self.time(200), up: true),
                Reachability(poolID: pool.id, address: "B.lab", time: Self.time(300), up: false, reason: .unresolved),
                Reachability(poolID: pool.id, address: "a.lab", time: Self.time(200), up: true, rttMilliseconds: 2),
                Reachability(poolID: pool.id, address: "a.lab", time: Self.time(300), up: true, rttMilliseconds: 3),
            ])
            let edges = try await store.reachability(poolID: pool.id, lastBefore: Self.time(200), firstFrom: Self.time(400))
            #expect(edges == [
                Reachability(poolID: pool.id, address: "B.lab", time: Self.time(100), up: true),
                Reachability(poolID: pool.id, address: "B.lab", time: Self.time(400), up: true),
                Reachability(poolID: pool.id, address: "a.lab", time: Self.time(100), up: true, rttMilliseconds: 1),
                Reachability(poolID: pool.id, address: "a.lab", time: Self.time(400), up: true, rttMilliseconds: 4),
            ])
            // Nothing before the first sweep, nothing from after the last.
            #expect(try await store.reachability(poolID: pool.id, lastBefore: Self.time(100), firstFrom: Self.time(401)) == [])
            #expect(try await store.reachability(poolID: pool.id + 1, from: Self.time(0), to: Self.time(1000)) == [])
        }
    }

    @Test(arguments: Backend.allCases)
    func deletingAPoolOrAComputerDeletesItsSweepState(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await Self.register(store)
            let pool = try await store.createPool(Self.lab(computers: ["a", "b"]))
            try await Self.sweep(store, sequence: 1, [
                Reachability(poolID: pool.id, address: "a", time: Self.time(100), up: true),
                Reachability(poolID: pool.id, address: "b", time: Self.time(100), up: true),
            ])
            _ = try await store.removeComputers(pool: "lab-1", ["b"])
            _ = try await store.addComputers(pool: "lab-1", ["b"])
            // Back without its old state; its sweeps are history and stay.
            #expect(try await store.computerStatus(poolID: pool.id).map(\.lastSweep) == [Self.time(100), nil])
            #expect(try await store.computersUp() == [pool.id: 1])
            #expect(try await store.reachability(poolID: pool.id, from: Self.time(0), to: Self.time(1000)).count == 2)

            #expect(try await store.deletePool(name: "lab-1"))
            #expect(try await store.computersUp() == [:])
            #expect(try await store.reachability(poolID: pool.id, from: Self.time(0), to: Self.time(1000)) == [])
            #expect(try await store.reachability(poolID: pool.id, lastBefore: Self.time(1000), firstFrom: Self.time(0)) == [])
        }
    }
}
