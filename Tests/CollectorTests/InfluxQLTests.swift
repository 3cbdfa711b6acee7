import Foundation
@testable import InfluxQL
import Testing

/// The InfluxQL module alone: the parser's refusals in InfluxDB's words, and
/// the executor over an in-memory source, where the buckets fast path (the
/// store's rollups) must answer exactly what the points path answers.
@Suite("InfluxQL")
struct InfluxQLTests {
    static let t0: Int64 = 1_704_067_200_000_000_000  // 2024-01-01T00:00:00Z
    static let range = "time >= '2024-01-01T00:00:00Z' AND time < '2024-01-01T02:00:00Z'"

    @Test func refusalsAreWordedAsInfluxDBWordsThem() {
        func refusal(_ text: String) -> String? {
            do {
                _ = try Parser.parseQuery(text)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(refusal("SELECT mean(value) FROMM cpu") == "found FROMM, expected FROM at line 1, char 20")
        #expect(refusal("SELEKT 1") != nil)
        #expect(refusal("SELECT value FROM cpu WHERE host = 'a' GROUP BY") != nil)
        #expect(refusal(String(repeating: "(", count: 2000)) != nil, "deep nesting is refused, not a stack overflow")
        #expect(refusal("SELECT mean(value) FROM cpu WHERE time > now() - 6h GROUP BY time(1m), host fill(previous); SHOW DATABASES") == nil)
    }

    @Test func theBucketsPathAnswersWhatThePointsPathAnswers() async throws {
        var lines: [String] = []
        for i in 0..<240 {
            for (h, host) in ["a", "b", "c"].enumerated() {
                let value = 20 + 15 * sin(Double(i) / 9 + Double(h))
                lines.append("cpu,host=\(host) usage=\(value) \(Self.t0 + Int64(i) * 30_000_000_000 + Int64(h))")
            }
        }
        let queries = [
            "SELECT mean(usage), sum(usage), count(usage), min(usage), max(usage) FROM cpu WHERE \(Self.range) GROUP BY time(10m)",
            "SELECT mean(usage) FROM cpu WHERE \(Self.range) GROUP BY time(1h), host",
            "SELECT max(usage) FROM cpu WHERE host = 'b' AND \(Self.range) GROUP BY time(7m) fill(0)",
            "SELECT spread(usage) FROM cpu WHERE \(Self.range) GROUP BY time(30m, 5m)",
        ]
        var answers: [[String]] = []
        for fast in [false, true] {
            let source = InMemoryInfluxSource(answersBuckets: fast)
            let (errors, outcome) = source.write(lines: lines.joined(separator: "\n"), database: "db")
            #expect(errors.isEmpty && outcome.dropped == 0)
            var texts: [String] = []
            for query in queries {
                let answer = await Executor(source: source).run(query, database: "db", now: Self.t0)
                guard case .results(let results) = answer else {
                    Issue.record("\(query) did not parse")
                    continue
                }
                texts.append(ResponseWriter.json(results, epoch: nil))
            }
            answers.append(texts)
        }
        #expect(answers[0].count == queries.count)
        for (index, query) in queries.enumerated() where !Self.sameNumbers(answers[0][index], answers[1][index]) {
            Issue.record("\(query)\npoints:  \(answers[0][index])\nbuckets: \(answers[1][index])")
        }
        #expect(answers[0][0].contains("\"count\"") && answers[0][0].contains(",60,"), "ten-minute buckets of three hosts hold 60 points")
    }

    /// Equal JSON, numbers to 1e-9 relative: the rollups add in another
    /// order than the points path.
    static func sameNumbers(_ a: String, _ b: String) -> Bool {
        func same(_ x: Any, _ y: Any) -> Bool {
            switch (x, y) {
            case let (x as [Any], y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
            case let (x as [String: Any], y as [String: Any]):
                return Set(x.keys) == Set(y.keys) && x.keys.allSatisfy { key in same(x[key] ?? NSNull(), y[key] ?? NSNull()) }
            case let (x as NSNumber, y as NSNumber):
                let (p, q) = (x.doubleValue, y.doubleValue)
                return p == q || abs(p - q) <= 1e-9 * max(abs(p), abs(q))
            case let (x as String, y as String): return x == y
            case (is NSNull, is NSNull): return true
            default: return false
            }
        }
        guard let x = try? JSONSerialization.jsonObject(with: Data(a.utf8)),
              let y = try? JSONSerialization.jsonObject(with: Data(b.utf8)) else { return false }
        return same(x, y)
    }

    @Test func aStatementThatFailsAnswersItsErrorBesideTheResultsBeforeIt() async throws {
        let source = InMemoryInfluxSource()
        source.write(lines: "m,host=a v=1 \(Self.t0)\nm,host=a v=3 \(Self.t0 + 1_000_000_000)", database: "db")
        let answer = await Executor(source: source).run(
            "SELECT mean(v) FROM m WHERE \(Self.range); SELECT nosuch(v) FROM m", database: "db", now: Self.t0)
        guard case .results(let results) = answer else {
            Issue.record("did not parse")
            return
        }
        let json = ResponseWriter.json(results, epoch: "s")
        #expect(json.contains("\"statement_id\":0,\"series\":[{\"name\":\"m\",\"columns\":[\"time\",\"mean\"],\"values\":[[1704067200,2]]}]"), "\(json)")
        #expect(json.contains("{\"statement_id\":1,\"error\":\"undefined function nosuch()\"}"), "\(json)")
    }

    /// Floats as Go's encoding/json writes them (InfluxDB's answers): plain
    /// from 1e-6 to 1e21, no ".0" on whole numbers, exponents without padding.
    @Test func floatsAreWrittenAsGoWritesThem() {
        let cases: [(Double, String)] = [
            (5, "5"), (-0.5, "-0.5"), (22.5, "22.5"), (0.1, "0.1"), (1.0 / 3, "0.3333333333333333"),
            (1e-5, "0.00001"), (1e-6, "0.000001"), (1.5e-7, "1.5e-7"), (1e20, "100000000000000000000"),
            (1e21, "1e+21"), (9007199254740992, "9007199254740992"), (123456789.125, "123456789.125"),
            (-2.5e-9, "-2.5e-9"), (0, "0"), (.nan, "null"),
        ]
        for (value, go) in cases {
            #expect(GoFloat.json(value) == go, "\(value)")
        }
    }

    /// Found by the line-protocol fuzz target: escaped backslashes before
    /// the `=` made a point with no field, which /write would have stored.
    @Test func aKeyThatSwallowsItsValueIsRefused() {
        // The fuzzer's input, byte for byte (a tag key with bytes that are
        // not UTF-8, NULs in a tag value, ten backslashes before the `=`).
        let line: [UInt8] = [0x63, 0x70, 0x75, 0x2c, 0x68, 0x6f, 0x73, 0x74, 0x3d, 0x61, 0x2c, 0x72, 0x65, 0xa2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x42, 0xff, 0xff, 0xff, 0x1d, 0x67, 0x69, 0x6f, 0x6e, 0x3d, 0x65, 0x75, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x3d, 0x31, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30]
        let (points, errors) = LineProtocol.parse(line, precision: .nanoseconds, now: Self.t0)
        #expect(points.allSatisfy { !$0.fields.isEmpty }, "\(points)")
        #expect(points.count + errors.count == 1)
    }

    @Test func writesRefuseWhatInfluxDBRefuses() {
        let source = InMemoryInfluxSource()
        let (errors, first) = source.write(lines: "m v=1 1\nm v=2i 2\nm,time=x v=1 3\nbad line", database: "db")
        #expect(errors.count == 1 && errors[0].description.contains("unable to parse 'bad line'"), "\(errors)")
        #expect(first.accepted.count == 1 && first.dropped == 2)
        #expect(first.partialWriteMessage == "partial write: invalid tag key: input tag \"time\" on measurement \"m\" is invalid dropped=2")
        let (_, later) = source.write(lines: "m v=\"text\" 4", database: "db")
        #expect(later.reason == "field type conflict: input field \"v\" on measurement \"m\" is type string, already exists as type float")
    }
}
