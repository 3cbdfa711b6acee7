@testable import AgentKit
import CollectorModel
import Foundation
import Testing

/// Pools without a network: address ranges, the ICMP parser, runtime and
/// energy against a hand-computed day, the CSV cell for cell.
@Suite("Pool model")
struct PoolModelTests {
    @Test func rangesExpandInclusivelyAndBadAddressesAreRefused() throws {
        #expect(try ComputerAddresses.expand(["10.0.0.254-10.0.1.1"]) == ["10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1"])
        #expect(try ComputerAddresses.expand(["2001:db8::fe - 2001:db8::101"]).count == 4)
        #expect(try ComputerAddresses.expand(["pc-12.lab.example", "10.0.0.1", "10.0.0.1"]) == ["pc-12.lab.example", "10.0.0.1"])
        for bad in ["10.0.0.9-10.0.0.1", "10.0.0.0-10.0.255.255", "300.1.1.1", "10.0.0.1-2001:db8::1", "pc 12", "-pc", "1.2.3"] {
            #expect(throws: ValidationError.self, "\(bad)") { _ = try ComputerAddresses.expand([bad], maxRange: 1024) }
        }
    }

    @Test func poolsRefuseNegativePowerAndBadNames() {
        let pool = Pool(name: "lab", room: "1.23", watts: 80, standbyWatts: 2, agentID: "agent-1")
        #expect((try? pool.validated()) != nil)
        var negative = pool
        negative.watts = -1
        #expect(throws: ValidationError.self) { _ = try negative.validated() }
        negative = pool
        negative.standbyWatts = -0.5
        #expect(throws: ValidationError.self) { _ = try negative.validated() }
        var unnamed = pool
        unnamed.name = "  "
        #expect(throws: ValidationError.self) { _ = try unnamed.validated() }
    }

    @Test func icmpRepliesAndErrorsAreMatchedOthersIgnored() {
        let request = ICMPMessage.echoRequest(family: .v4, identifier: 0x1234, sequence: 7)
        #expect(ICMPMessage.checksum(request) == 0)
        // A raw IPv4 socket hands over the IP header (20 bytes) first.
        var ipHeader = [UInt8](repeating: 0, count: 20)
        ipHeader[0] = 0x45
        var reply = request
        reply[0] = 0
        #expect(ICMPMessage.parse(ipHeader + reply, family: .v4, includesIPHeader: true) == .echoReply(identifier: 0x1234, sequence: 7))
        #expect(ICMPMessage.parse(reply, family: .v4, includesIPHeader: false) == .echoReply(identifier: 0x1234, sequence: 7))
        // Destination unreachable quoting our request.
        let unreachable: [UInt8] = [3, 1, 0, 0, 0, 0, 0, 0] + ipHeader + Array(request.prefix(8))
        #expect(ICMPMessage.parse(ipHeader + unreachable, family: .v4, includesIPHeader: true)
            == .error(identifier: 0x1234, sequence: 7, type: 3, code: 1))
        // An echo request (our own, looped back on a raw socket) and junk.
        #expect(ICMPMessage.parse(ipHeader + request, family: .v4, includesIPHeader: true) == .other)
        #expect(ICMPMessage.parse([1, 2, 3], family: .v4, includesIPHeader: true) == .other)
        #expect(ICMPMessage.parse([], family: .v6, includesIPHeader: false) == .other)
        let v6Reply: [UInt8] = [129, 0, 0, 0, 0xAB, 0xCD, 0, 9]
        #expect(ICMPMessage.parse(v6Reply, family: .v6, includesIPHeader: false) == .echoReply(identifier: 0xABCD, sequence: 9))
    }

    /// A day by hand (UTC, 5-minute sweeps, 100 W on, 2 W standby):
    /// - A is on 08:00-10:00 and 14:00-14:30 (used twice: 2.5 h); it is also
    ///   seen up at 15:55 and 18:05, either side of the agent's gap, which
    ///   counts for nothing.
    /// - B is never on.
    /// - C is on from 23:30 to 00:30 the next day: 0.5 h on each day.
    /// - The agent is away from 15:55 to 18:05: 2 h 10 min unknown.
    static func handDay() -> (Pool, [Reachability]) {
        let pool = Pool(id: 1, name: "lab", room: "R1", watts: 100, standbyWatts: 2, agentID: "a", interval: .seconds(300),
                        computers: ["A", "B", "C"])
        let dayStart = Date(timeIntervalSince1970: 1_710_028_800)  // 2024-03-10T00:00:00Z
        func at(_ hour: Int, _ minute: Int) -> TimeInterval { TimeInterval(hour * 3600 + minute * 60) }
        var results: [Reachability] = []
        var offset: TimeInterval = 0
        while offset <= 2 * 86400 {
            defer { offset += 300 }
            if offset > at(15, 55) && offset < at(18, 5) { continue }
            let time = dayStart.addingTimeInterval(offset)
            let aUp = (offset >= at(8, 0) && offset <= at(10, 0)) || (offset >= at(14, 0) && offset <= at(14, 30))
                || offset == at(15, 55) || offset == at(18, 5)
            let cUp = offset >= at(23, 30) && offset <= at(24, 30)
            results.append(Reachability(poolID: 1, address: "A", time: time, up: aUp))
            results.append(Reachability(poolID: 1, address: "B", time: time, up: false, reason: .timeout))
            results.append(Reachability(poolID: 1, address: "C", time: time, up: cUp))
        }
        return (pool, results.shuffled())
    }

    @Test func runtimeAndEnergyMatchAHandComputedDay() throws {
        let (pool, results) = Self.handDay()
        let days = try PoolRuntime.days(from: "2024-03-10", to: "2024-03-11", zone: TimeZone(identifier: "UTC")!)
        let report = PoolRuntime.report(pool: pool, derived: PoolRuntime.derive(results, interval: pool.interval), days: days)
        #expect(report.count == 2)
        let first = report[0]
        #expect(first.date == "2024-03-10")
        #expect(abs(first.runtimeHours - 3.0) < 1e-9)
        #expect(first.used == 2)
        #expect(abs(first.averageHours - 1.5) < 1e-9)
        #expect(first.computers == 3)
        #expect(abs(first.unknownHours - 130.0 / 60) < 1e-9)
        // Covered 21 h 50 min × 3 computers − 3 h on = 62.5 h off at 2 W.
        #expect(abs(first.energyKWh - (3.0 * 100 + 62.5 * 2) / 1000) < 1e-9)
        #expect(abs(first.wattHours - 300) < 1e-9)
        let second = report[1]
        #expect(abs(second.runtimeHours - 0.5) < 1e-9)
        #expect(second.used == 1)
        #expect(abs(second.averageHours - 0.5) < 1e-9)
        #expect(abs(second.unknownHours) < 1e-9)
    }

    @Test func daysFollowTheZoneAcrossAClockChange() throws {
        let zurich = try #require(TimeZone(identifier: "Europe/Zurich"))
        let days = try PoolRuntime.days(from: "2024-03-30", to: "2024-04-01", zone: zurich)
        #expect(days.map(\.label) == ["2024-03-30", "2024-03-31", "2024-04-01"])
        #expect(days.map { $0.end.timeIntervalSince($0.start) / 3600 } == [24, 23, 24])
        #expect(throws: ValidationError.self) { _ = try PoolRuntime.days(from: "2024-02-30", to: "2024-03-01", zone: zurich) }
        #expect(throws: ValidationError.self) { _ = try PoolRuntime.days(from: "2024-13-01", to: "2024-13-01", zone: zurich) }
        #expect(try PoolRuntime.days(from: "2024-03-02", to: "2024-03-01", zone: zurich).isEmpty)
    }

    @Test func theCSVCellForCell() throws {
        let (pool, results) = Self.handDay()
        var other = Pool(id: 2, name: "empty", room: "R, 2", watts: 50, agentID: "a", computers: ["X"])
        other.standbyWatts = nil
        let days = try PoolRuntime.days(from: "2024-03-10", to: "2024-03-11", zone: TimeZone(identifier: "UTC")!)
        let first = PoolRuntime.report(pool: pool, derived: PoolRuntime.derive(results, interval: pool.interval), days: days)
        let second = PoolRuntime.report(pool: other, derived: PoolRuntime.derive([], interval: other.interval), days: days)
        let unix = PoolCSV.render(days: days, pools: [(pool, first), (other, second)], dialect: .unix)
        let header = #""Datum","","Raum Nr","Summe der Laufzeit (in h)","Durchschnittliche Laufzeit (in h)","Verbrauch","Anzahl Rechner","","Raum Nr","Summe der Laufzeit (in h)","Durchschnittliche Laufzeit (in h)","Verbrauch","Anzahl Rechner""#
        #expect(unix == header + "\n"
            + #""2024-03-10","","R1","3.0","1.5","300.0","3","","R, 2","0.0","0.0","0.0","1""# + "\n"
            + #""2024-03-11","","R1","0.5","0.5","50.0","3","","R, 2","0.0","0.0","0.0","1""# + "\n")
        let excel = PoolCSV.render(days: Array(days.prefix(1)), pools: [(pool, first), (other, second)], dialect: .excel)
        #expect(excel == "Datum,,Raum Nr,Summe der Laufzeit (in h),Durchschnittliche Laufzeit (in h),Verbrauch,Anzahl Rechner,,Raum Nr,"
            + "Summe der Laufzeit (in h),Durchschnittliche Laufzeit (in h),Verbrauch,Anzahl Rechner\r\n"
            + "2024-03-10,,R1,3.0,1.5,300.0,3,,\"R, 2\",0.0,0.0,0.0,1\r\n")
    }
}
