@testable import AgentKit
import CollectorModel
import CollectorProto
import CollectorServer
import Foundation
import GRPCCore
import GRPCProtobuf
import Testing

/// Bad input over the real wire: a clear status, nothing stored.
@Suite("Bad input on the wire", .serialized)
struct BadInputTests {
    /// Pushes raw bytes as batches, as a broken or hostile client would, and
    /// returns the status the stream ended with.
    func push(_ frames: [[UInt8]], to collector: RunningCollector, token: String, agentID: String = "agent-bad") async throws -> RPCError? {
        do {
            try await collector.withClient { client in
                var register = Collector_V1_RegisterRequest()
                register.agentID = agentID
                _ = try await Collector_V1_Ingest.Client(wrapping: client).register(register, metadata: bearer(token))
                let request = StreamingClientRequest<SpooledBatch>(metadata: bearer(token)) { writer in
                    for (index, frame) in frames.enumerated() {
                        try await writer.write(SpooledBatch(sequence: UInt64(index + 1), droppedThrough: 0, contents: frame))
                    }
                }
                try await client.bidirectionalStreaming(
                    request: request, descriptor: Collector_V1_Ingest.Method.Push.descriptor,
                    serializer: SpooledBatchSerializer(), deserializer: ProtobufDeserializer<Collector_V1_Ack>(),
                    options: .defaults
                ) { response in
                    for try await _ in response.messages {}
                }
            }
            return nil
        } catch let error as RPCError {
            return error
        }
    }

    func contents(agentID: String = "agent-bad", points: Int) throws -> [UInt8] {
        var batch = Collector_V1_Batch()
        batch.agentID = agentID
        batch.points = (0..<points).map { index in
            var point = Collector_V1_Point()
            point.namespace = "test"
            point.name = "bad-input"
            point.timeUnixNano = 1_700_000_000_000_000_000 + UInt64(index)
            point.value = 1
            return point
        }
        return try batch.serializedBytes()
    }

    func storedPoints(_ collector: RunningCollector) async throws -> Int {
        try await collector.store.points(namespace: "test", name: "bad-input", from: .distantPast, to: .distantFuture).count
    }

    @Test func malformedProtobufIsRefusedAndNothingIsStored() async throws {
        let directory = try TemporaryDirectory("malformed")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        let error = try await push([[0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]], to: collector, token: token)
        // The frame does not decode: the RPC fails, the batch is not acknowledged.
        #expect(error != nil)
        #expect(try await collector.store.agent(id: "agent-bad")?.highWaterMark == 0)
        await collector.stop()
    }

    @Test func anOversizeMessageIsRefusedAndNothingIsStored() async throws {
        let directory = try TemporaryDirectory("oversize")
        var config = RunningCollector.testConfig
        config.limits.maxMessageBytes = 64 << 10
        let collector = try await RunningCollector.start(dataDirectory: directory.path, config: config)
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        let error = try await push([try contents(points: 5000)], to: collector, token: token)
        // grpc-swift-nio-transport 2.9 answers an oversize frame by resetting
        // the stream (the client sees UNAVAILABLE), not with a status.
        #expect(error?.code == .resourceExhausted || error?.code == .unavailable, "\(String(describing: error))")
        #expect(try await storedPoints(collector) == 0)
        await collector.stop()
    }

    @Test func aBatchFromTheFutureIsRefusedNamingTheExpectedSequence() async throws {
        let directory = try TemporaryDirectory("future")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let token = try await collector.createToken(scopes: ["ingest"], site: "lab")
        // Sequence 1 is fine; then 3 arrives without 2 having been declared dropped.
        let good = try contents(points: 1)
        let error = try await collector.withClient { client -> RPCError? in
            var register = Collector_V1_RegisterRequest()
            register.agentID = "agent-bad"
            _ = try await Collector_V1_Ingest.Client(wrapping: client).register(register, metadata: bearer(token))
            let request = StreamingClientRequest<SpooledBatch>(metadata: bearer(token)) { writer in
                try await writer.write(SpooledBatch(sequence: 1, droppedThrough: 0, contents: good))
                try await writer.write(SpooledBatch(sequence: 3, droppedThrough: 0, contents: good))
            }
            do {
                try await client.bidirectionalStreaming(
                    request: request, descriptor: Collector_V1_Ingest.Method.Push.descriptor,
                    serializer: SpooledBatchSerializer(), deserializer: ProtobufDeserializer<Collector_V1_Ack>(),
                    options: .defaults
                ) { response in for try await _ in response.messages {} }
                return nil
            } catch let error as RPCError {
                return error
            }
        }
        #expect(error?.code == .failedPrecondition)
        #expect(error?.message.contains("expected 2") == true)
        #expect(try await collector.store.agent(id: "agent-bad")?.highWaterMark == 1)
        #expect(try await storedPoints(collector) == 1)
        await collector.stop()
    }

    @Test func anUnregisteredAgentOrAnotherSitesAgentIsRefused() async throws {
        let directory = try TemporaryDirectory("unknown-agent")
        let collector = try await RunningCollector.start(dataDirectory: directory.path)
        let labToken = try await collector.createToken(scopes: ["ingest"], site: "lab", name: "lab")
        let otherToken = try await collector.createToken(scopes: ["ingest"], site: "other", name: "other")
        // Registered under "lab", pushed with a token of "other".
        _ = try await push([try contents(points: 1)], to: collector, token: labToken)
        let before = try await storedPoints(collector)
        var wire = Collector_V1_Batch()
        wire.agentID = "agent-bad"
        wire.sequence = 2
        let batch = wire
        let error = await #expect(throws: RPCError.self) {
            try await collector.withClient { client in
                try await Collector_V1_Ingest.Client(wrapping: client).push(metadata: bearer(otherToken)) { writer in
                    try await writer.write(batch)
                } onResponse: { response in
                    for try await _ in response.messages {}
                }
            }
        }
        #expect(error?.code == .failedPrecondition)
        #expect(try await storedPoints(collector) == before)
        await collector.stop()
    }
}
