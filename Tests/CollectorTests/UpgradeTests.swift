import CollectorModel
import CollectorServer
import CollectorStore
import Crypto
import Foundation
import Testing

/// A database written by the row store (the last release before the series
/// engine, `Fixtures/row-store`, made by `make-row-store.py` with that
/// release's binaries) opens, is moved into chunks in steps, and answers
/// the same queries with the same bytes.
@Suite("Upgrade from the row store", .serialized)
struct UpgradeTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/row-store")

    struct Expected: Decodable {
        var token: String
        var answers: [String: String]
        var documents: [String: [String: JSONAny]]
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: fixture.appendingPathComponent("expected.json")))
    }

    static func copyFixture(to directory: TemporaryDirectory) throws -> String {
        let data = directory.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.appendingPathComponent("collector.sqlite").path,
                                         toPath: (data as NSString).appendingPathComponent("collector.sqlite"))
        return data
    }

    /// The fixture was written with every level kept forever.
    static var config: CollectorConfig {
        var config = RunningCollector.testConfig
        config.retention.raw = nil
        config.retention.minute = nil
        config.retention.hour = nil
        config.retention.day = nil
        return config
    }

    @Test func theRowStoresAnswersAreGivenByteForByteAfterTheUpgrade() async throws {
        let directory = try TemporaryDirectory("upgrade")
        let data = try Self.copyFixture(to: directory)
        let expected = try Self.expected()
        let collector = try await RunningCollector.start(dataDirectory: data, config: Self.config)
        #expect(await eventually { (try? await collector.store.upgradeStep()) == false })
        let base = "http://127.0.0.1:\(collector.addresses.httpPort)"
        #expect(expected.answers.count == 70)
        for (query, hash) in expected.answers.sorted(by: { $0.key < $1.key }) {
            let response = try await http("GET", base + query, headers: ["Authorization": "Bearer \(expected.token)"])
            #expect(response.status == 200)
            #expect(SHA256.hash(data: Data(response.body.utf8)).hex == hash, "\(query)")
        }
        for (id, document) in expected.documents {
            let response = try await http("GET", base + "/log/event/\(id)", headers: ["Authorization": "Token \(expected.token)"])
            let read = try #require(response.json as? [String: Any])
            #expect(JSONAny.object(read) == .object(document), "\(id)")
        }
        // New points land beside the moved ones.
        let tracked = try await http("POST", base + "/api/track/", headers: ["Authorization": "Bearer \(expected.token)", "Content-Type": "application/json"],
                                     body: #"{"namespace": "fixture", "name": "clicks", "value": 1}"#)
        #expect(tracked.status == 201)
        await collector.stop()
    }

    /// Each step moves one series in one transaction: after every step, and
    /// after the store is closed and opened again half-way (as a kill -9
    /// would leave it), every aggregate and every document is the same.
    @Test func theUpgradeGoesInStepsThatReadTheSameAtEveryStepAndResume() async throws {
        let directory = try TemporaryDirectory("upgrade-steps")
        let data = try Self.copyFixture(to: directory)
        let queries = ["clicks", "views"].flatMap { name in
            [Granularity.none, .minute, .hour, .day, .month].flatMap { granularity in
                [AggregateFunction.count, .sum, .min, .max].map { function in
                    AggregationQuery(namespace: "fixture", name: name, from: .distantPast, to: .distantFuture,
                                     granularity: granularity, function: function)
                }
            }
        }
        let ids = Array(try Self.expected().documents.keys.sorted().prefix(20))
        func snapshot(_ store: SQLiteStore) async throws -> [String] {
            var answers: [String] = []
            for query in queries { answers.append("\(try await store.aggregate(query))") }
            for id in ids { answers.append("\(try await store.event(id: id).map { "\($0)" } ?? "missing")") }
            return answers
        }
        var store: SQLiteStore? = try SQLiteStore(dataDirectory: data)
        let before = try await snapshot(try #require(store))
        #expect(!before.contains("missing"))
        var steps = 0
        while let open = store, try await open.upgradeStep() {
            steps += 1
            let now = try await snapshot(open)
            #expect(now == before, "after step \(steps): \(zip(now, before).first { $0 != $1 }.map { "\($0.0.prefix(300)) vs \($0.1.prefix(300))" } ?? "")")
            if steps == 1 {
                // Closed half-way; the next open goes on where it stopped.
                store = nil
                store = try SQLiteStore(dataDirectory: data)
            }
        }
        #expect(steps >= 3)
        let done = try #require(store)
        #expect(try await snapshot(done) == before)
        #expect(try await done.upgradeStep() == false)
    }
}

/// Any JSON value, compared as JSON (the documents of the fixture).
enum JSONAny: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONAny])
    case object([String: JSONAny])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONAny].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONAny].self)) }
    }

    /// From `JSONSerialization`'s values.
    static func from(_ value: Any) -> JSONAny {
        switch value {
        case is NSNull: .null
        case let number as NSNumber where String(cString: number.objCType) == "c": .bool(number.boolValue)
        case let number as NSNumber: .number(number.doubleValue)
        case let string as String: .string(string)
        case let array as [Any]: .array(array.map(from))
        case let object as [String: Any]: .object(object.mapValues(from))
        default: .null
        }
    }

    static func object(_ object: [String: Any]) -> JSONAny { .object(object.mapValues(from)) }

    var value: Any {
        switch self {
        case .null: NSNull()
        case .bool(let value): value
        case .number(let value): value
        case .string(let value): value
        case .array(let values): values.map(\.value)
        case .object(let values): values.mapValues(\.value)
        }
    }
}

extension SHA256.Digest {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
