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

    /// Each way a batch can be wrong, and the field the error must name.
    enum BadBatch: CaseIterable, Sendable {
        case sequenceZero, badAgentID, tooManyItems, zeroTime, secondsNotNanoseconds, notANumber, emptyName, fieldsNotAnObject

        var field: String {
            switch self {
            case .sequenceZero: "sequence"
            case .badAgentID: "agent_id"
            case .tooManyItems: "batch"
            case .zeroTime, .secondsNotNanoseconds: "points[0].time_unix_nano"
            case .notANumber: "points[0].value"
            case .emptyName: "points[0].name"
            case .fieldsNotAnObject: "events[0].fields_json"
            }
        }

        func apply(to batch: inout Collector_V1_Batch) {
            var point = Collector_V1_Point()
            point.namespace = "n"
            point.name = "n"
            point.timeUnixNano = 1_700_000_000_000_000_000
            switch self {
            case .sequenceZero: batch.sequence = 0
            case .badAgentID: batch.agentID = "a b/../c"
            case .tooManyItems: batch.points = Array(repeating: point, count: 11)
            case .zeroTime: point.timeUnixNano = 0
            case .secondsNotNanoseconds: point.timeUnixNano = 1_700_000_000
            case .notANumber: point.value = .nan
            case .emptyName: point.name = ""
            case .fieldsNotAnObject:
                var event = Collector_V1_Event()
                event.namespace = "n"
                event.name = "n"
                event.timeUnixNano = 1_700_000_000_000_000_000
                event.fieldsJson = "[1]"
                batch.events = [event]
            }
            if batch.points.isEmpty && batch.events.isEmpty && self != .sequenceZero && self != .badAgentID {
                batch.points = [point]
            }
        }
    }

    @Test(arguments: BadBatch.allCases)
    func badBatchesAreRefusedNamingTheField(bad: BadBatch) {
        #expect {
            try IngestBatch(batch { bad.apply(to: &$0) }, limits: limits)
        } throws: { error in
            (error as? ValidationError)?.field == bad.field
        }
    }
}
