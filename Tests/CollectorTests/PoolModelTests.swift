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

    /// A day by hand (UTC, 5-minute sweeps, 100 W on, 2 W standby), by the
    /// seed's rule (an up sweep opens, the next down sweep closes):
    /// - A is seen up 08:00-10:00 (down at 10:05: 2 h 5 min), 14:00-14:30
    ///   (down 14:35: 35 min), and at 15:55 and 18:05 either side of the
    ///   agent's gap (down 18:10: 2 h 15 min, the gap included).
    /// - B is never on.
    /// - C is seen up 23:30-00:30 the next day (down 00:35): 23:30-23:59:59
    ///   on the first day, 00:00-00:35 on the second.
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
        // A: 7,500 + 2,100 + 8,100 s; C: 1,799 s (to 23:59:59).
        #expect(first.date == "2024-03-10")
        let onHours: Double = 19499.0 / 60 / 60
        #expect(first.runtimeHours == onHours)
        #expect(first.used == 2)
        #expect(first.averageHours == onHours / 2)
        #expect(first.computers == 3)
        #expect(abs(first.unknownHours - 130.0 / 60) < 1e-9)
        // Covered 21 h 50 min × 3 computers − the hours on, at 2 W.
        let offHours: Double = (78600.0 * 3 - 19499) / 3600
        let energy: Double = (onHours * 100 + offHours * 2) / 1000
        #expect(abs(first.energyKWh - energy) < 1e-9)
        #expect(first.wattHours == onHours * 100)
        let second = report[1]
        let secondHours: Double = 2100.0 / 60 / 60
        #expect(second.runtimeHours == secondHours)
        #expect(second.used == 1)
        #expect(abs(second.unknownHours) < 1e-9)
    }

    /// The seed's rule as a table: sweeps (time, up) of one computer, the
    /// hours it must give on 2024-03-10 and 2024-03-11 (as the seed's CSV
    /// printed them), and the hours of the first day's chart that count it.
    struct SweepCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// "HH:MM" on the first day, "+HH:MM" on the second.
        var sweeps: [(String, Bool)]
        var hours: [String]
        var chart: Set<Int>
        /// When the report is made; nil: long after.
        var now: String?

        var testDescription: String { name }
    }

    static let sweepCases: [SweepCase] = [
        SweepCase(name: "down all day", sweeps: [("10:00", false), ("10:05", false)], hours: ["0.0", "0.0"], chart: []),
        SweepCase(name: "a single up sweep counts the gap to the next", sweeps: [("10:00", true), ("10:05", false)],
                  hours: ["0.08333333333333333", "0.0"], chart: [10]),
        SweepCase(name: "the hour of the down sweep counts", sweeps: [("09:55", true), ("10:05", false)],
                  hours: ["0.16666666666666666", "0.0"], chart: [10]),
        SweepCase(name: "an interval ending on the hour counts that hour", sweeps: [("10:55", true), ("11:00", false)],
                  hours: ["0.08333333333333333", "0.0"], chart: [11]),
        SweepCase(name: "up, up, down", sweeps: [("10:00", true), ("10:05", true), ("10:10", false)],
                  hours: ["0.16666666666666666", "0.0"], chart: [10]),
        SweepCase(name: "flapping every sweep for an hour counts half of it",
                  sweeps: (0..<12).map { (String(format: "10:%02d", $0 * 5), $0 % 2 == 0) } + [("11:00", false)],
                  hours: ["0.5", "0.0"], chart: [10]),
        SweepCase(name: "an agent's gap between up and down counts as on", sweeps: [("10:00", true), ("12:00", false)],
                  hours: ["2.0", "0.0"], chart: [10, 11, 12]),
        SweepCase(name: "across midnight: 23:59:59, then from 00:00:00",
                  sweeps: [("23:50", true), ("23:55", true), ("+00:00", true), ("+00:05", false)],
                  hours: ["0.16638888888888886", "0.08333333333333333"], chart: []),
        SweepCase(name: "on from 12:45 past midnight (the seed's 11.2497 h)",
                  sweeps: [("12:45", true), ("18:00", true), ("+02:00", false)],
                  hours: ["11.249722222222223", "2.0"], chart: Set(13...23)),
        SweepCase(name: "still on now counts up to now", sweeps: [("10:00", true), ("10:05", true), ("10:30", true)],
                  hours: ["0.5", "0.0"], chart: [10], now: "10:30"),
        SweepCase(name: "still on when the agent went quiet counts to its last sweep",
                  sweeps: [("10:00", true), ("10:30", true)], hours: ["0.5", "0.0"], chart: [10]),
    ]

    @Test(arguments: sweepCases)
    func runtimeFollowsTheSeedsRule(_ sweepCase: SweepCase) throws {
        let dayStart = Date(timeIntervalSince1970: 1_710_028_800)  // 2024-03-10T00:00:00Z
        func time(_ text: String) -> Date {
            let nextDay = text.hasPrefix("+")
            let parts = text.drop { $0 == "+" }.split(separator: ":").compactMap { Int($0) }
            return dayStart.addingTimeInterval(Double((nextDay ? 86400 : 0) + parts[0] * 3600 + parts[1] * 60))
        }
        let pool = Pool(id: 1, name: "lab", room: "R1", watts: 60, agentID: "a", interval: .seconds(300), computers: ["pc"])
        let results = sweepCase.sweeps.map { Reachability(poolID: 1, address: "pc", time: time($0.0), up: $0.1) }
        let now = sweepCase.now.map(time) ?? dayStart.addingTimeInterval(30 * 86400)
        let derived = PoolRuntime.derive(results.shuffled(), interval: pool.interval, now: now)
        let days = try PoolRuntime.days(from: "2024-03-10", to: "2024-03-11", zone: TimeZone(identifier: "UTC")!)
        let report = PoolRuntime.report(pool: pool, derived: derived, days: days)
        #expect(report.map { PoolCSV.hours($0.runtimeHours) } == sweepCase.hours)
        let chart = PoolRuntime.hourly(computers: pool.computers, derived: derived, day: days[0])
        #expect(Set(chart.enumerated().filter { $0.element > 0 }.map(\.offset)) == sweepCase.chart)
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
            + #""2024-03-10","","R1","5.416388888888889","2.7081944444444446","541.6388888888889","3","","R, 2","0.0","0.0","0.0","1""# + "\n"
            + #""2024-03-11","","R1","0.5833333333333334","0.5833333333333334","58.333333333333336","3","","R, 2","0.0","0.0","0.0","1""# + "\n")
        let excel = PoolCSV.render(days: Array(days.prefix(1)), pools: [(pool, first), (other, second)], dialect: .excel)
        #expect(excel == "Datum,,Raum Nr,Summe der Laufzeit (in h),Durchschnittliche Laufzeit (in h),Verbrauch,Anzahl Rechner,,Raum Nr,"
            + "Summe der Laufzeit (in h),Durchschnittliche Laufzeit (in h),Verbrauch,Anzahl Rechner\r\n"
            + "2024-03-10,,R1,5.416388888888889,2.7081944444444446,541.6388888888889,3,,\"R, 2\",0.0,0.0,0.0,1\r\n")
    }
}
