import CollectorModel
import CollectorProto
import CollectorWire
import Foundation
import Testing

@Suite("Wire validation")
struct WireValidationTests {
    let limits = WireLimits(maxBatchItems: 10)

    func batch(_ build: (inout Collector_V1_Batch) -> Void) -> Collector_V1_Batch {
        var batch = Collector_V1_Batch()
        batch.agentID = "agent-1"
        batch.sequence = 1
        build(&batch)
        return batch
    }

    func point(time: UInt64 = 1_700_000_000_000_000_000, value: Double = 1, name: String = "n") -> Collector_V1_Point {
        var point = Collector_V1_Point()
        point.namespace = "ns"
        point.name = name
        point.timeUnixNano = time
        point.value = value
        return point
    }

    @Test func aGoodBatchConverts() throws {
        let converted = try IngestBatch(batch { $0.points = [point()] }, limits: limits)
        #expect(converted.points.count == 1)
        #expect(converted.points[0].time == Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// Each way a batch itself can be wrong, and the field the error must name.
    enum BadBatch: CaseIterable, Sendable {
        case sequenceZero, badAgentID, tooManyItems

        var field: String {
            switch self {
            case .sequenceZero: "sequence"
            case .badAgentID: "agent_id"
            case .tooManyItems: "batch"
            }
        }

        func apply(to batch: inout Collector_V1_Batch) {
            switch self {
            case .sequenceZero: batch.sequence = 0
            case .badAgentID: batch.agentID = "a b/../c"
            case .tooManyItems: batch.points = Array(repeating: WireValidationTests.goodPoint, count: 11)
            }
        }
    }

    static var goodPoint: Collector_V1_Point {
        var point = Collector_V1_Point()
        point.namespace = "n"
        point.name = "good"
        point.timeUnixNano = 1_700_000_000_000_000_000
        point.value = 1
        return point
    }

    @Test(arguments: BadBatch.allCases)
    func badBatchesAreRefusedWholeNamingTheField(bad: BadBatch) {
        #expect {
            try IngestBatch(batch { bad.apply(to: &$0) }, limits: limits)
        } throws: { error in
            (error as? ValidationError)?.field == bad.field
        }
    }

    /// Each way one record can be wrong, and the field its refusal names.
    enum BadRecord: CaseIterable, Sendable {
        case zeroTime, secondsNotNanoseconds, notANumber, emptyName, fieldsNotAnObject, tooFarAhead

        var field: String {
            switch self {
            case .zeroTime, .secondsNotNanoseconds, .tooFarAhead: "points[1].time_unix_nano"
            case .notANumber: "points[1].value"
            case .emptyName: "points[1].name"
            case .fieldsNotAnObject: "events[0].fields"
            }
        }

        func apply(to batch: inout Collector_V1_Batch) {
            var point = WireValidationTests.goodPoint
            point.name = "bad"
            switch self {
            case .zeroTime: point.timeUnixNano = 0
            case .secondsNotNanoseconds: point.timeUnixNano = 1_700_000_000
            case .tooFarAhead: point.timeUnixNano = UInt64((Date().timeIntervalSince1970 + 3600) * 1e9)
            case .notANumber: point.value = .nan
            case .emptyName: point.name = ""
            case .fieldsNotAnObject:
                var event = Collector_V1_Event()
                event.namespace = "n"
                event.name = "n"
                event.timeUnixNano = 1_700_000_000_000_000_000
                event.fieldsJson = "[1]"
                batch.events = [event]
                point = WireValidationTests.goodPoint
            }
            // A good record on either side of the bad one.
            batch.points = [WireValidationTests.goodPoint, point, WireValidationTests.goodPoint]
        }
    }

    /// One bad record is refused alone: the batch converts with the good
    /// records beside it, and names the bad one.
    @Test(arguments: BadRecord.allCases)
    func aBadRecordIsRefusedAloneNamingTheField(bad: BadRecord) throws {
        let converted = try IngestBatch(batch { bad.apply(to: &$0) }, limits: limits)
        #expect(converted.refused.map(\.field) == [bad.field])
        #expect(converted.points.filter { $0.name == "good" }.count == (bad == .fieldsNotAnObject ? 3 : 2))
        #expect(converted.events.isEmpty)
    }
}
