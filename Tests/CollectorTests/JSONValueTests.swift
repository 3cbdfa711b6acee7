import CollectorModel
import Foundation
import Testing

/// The JSON reader and writer that replaced `JSONSerialization`: the values
/// it reads are the values Foundation read, its text is Foundation's text
/// where the old servers' answers depended on it, and it is as strict as
/// the legacy services' Python was.
@Suite("JSON values")
struct JSONValueTests {
    static func parse(_ text: String) throws -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }

    @Test func readsEveryKindOfValue() throws {
        let value = try Self.parse(#" {"a": [1, -0, 2.5, 1e2, true, false, null], "b": "x\/y\u00e9\ud83d\ude00\n", "": {}} "#)
        #expect(value == .object([
            "a": .array([.integer(1), .integer(0), .float(2.5), .float(100), .bool(true), .bool(false), .null]),
            "b": .string("x/yé😀\n"), "": .object([:]),
        ]))
        #expect(try Self.parse("7") == .integer(7))
        #expect(try Self.parse("7.0") == .float(7))
        #expect(try Self.parse("9223372036854775807") == .integer(.max))
        #expect(try Self.parse("9223372036854775808") == .float(9_223_372_036_854_775_808))
        #expect(try Self.parse("\u{FEFF}[1]") == .array([.integer(1)]))
        #expect(try Self.parse(#"{"a": 1, "a": 2}"#) == .object(["a": .integer(2)]))
    }

    @Test(arguments: ["", " ", "[1,]", #"{"a":1,}"#, "01", "-", "1.", ".5", "+1", "1e", "1e400", "[1 2]", "{a:1}", "'a'",
                      #""\x""#, #""\ud800""#, #""\udc00""#, "\"a\u{1}\"", "[1]x", "nul", "tru", "[", #"{"a""#, "NaN", "Infinity"])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try Self.parse(text) }
    }

    @Test func errorsSayWhere() {
        #expect(throws: JSONParseError(message: "Unexpected character 'x' at line 2, column 3")) { try Self.parse("[1,\n  x]") }
        #expect(throws: JSONParseError(message: "Unexpected end of input at line 1, column 5")) { try Self.parse("[1, ") }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
    }

    @Test func nestingIsBoundedNotACrash() throws {
        #expect(try Self.parse(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) != .null)
        #expect(throws: JSONParseError.self) { try Self.parse(String(repeating: "[", count: 100_000)) }
    }

    /// Numbers, strings and structure print as `JSONSerialization` printed
    /// them (stored documents and answers keep their bytes); keys are in
    /// code point order, as Python's `sort_keys` wrote them.
    @Test func writesAsFoundationWrote() throws {
        let texts = [#"{"b":[1,2.5,100.0,0.1,1e300,-0.0,5e-324,true,null],"a":"q\"\\/\u0001\t\u00e9"}"#,
                     #"[{"event_id":"entry_1","now":1606780800.123,"uid":"u"},"a/b"]"#, "12", "\"\"", "[]", "{}"]
        for text in texts {
            let value = try Self.parse(text)
            let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            for escaping in [true, false] {
                let options: JSONSerialization.WritingOptions = escaping ? [.fragmentsAllowed, .sortedKeys]
                    : [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]
                let expected = String(decoding: try JSONSerialization.data(withJSONObject: foundation, options: options), as: UTF8.self)
                #expect(value.text(escapingSlashes: escaping) == expected, "\(text)")
            }
        }
        #expect(JSONValue.object(["b": .null, "B": .null, "_": .null, "a10": .null, "a2": .null]).text()
            == #"{"B":null,"_":null,"a10":null,"a2":null,"b":null}"#)
    }

    /// Whatever is printed reads back and prints the same. (A whole float
    /// prints as `100` and reads back as an integer, as with Foundation.)
    @Test func randomDocumentsRoundTripAndRandomBytesNeverCrash() throws {
        var generator = SplitMix(state: 0x5EED)
        func random(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2: return .integer(Int64.random(in: .min ... .max, using: &generator))
            case 3: return .float(Double(bitPattern: UInt64.random(in: 0 ... .max, using: &generator)).isFinite
                ? Double.random(in: -1e12...1e12, using: &generator) : 0.5)
            case 4: return .string(String((0..<Int.random(in: 0..<8, using: &generator)).map { _ in
                Character(Unicode.Scalar(UInt8.random(in: 0...127, using: &generator)))
            }) + "é/😀")
            case 5: return .array((0..<Int.random(in: 0..<4, using: &generator)).map { _ in random(depth + 1) })
            default: return .object(Dictionary((0..<Int.random(in: 0..<4, using: &generator)).map { _ in
                (String(Int.random(in: 0..<50, using: &generator)), random(depth + 1))
            }, uniquingKeysWith: { first, _ in first }))
            }
        }
        for _ in 0..<2000 {
            let value = random(0)
            #expect(try JSONValue(parsing: Array(value.text().utf8)).text() == value.text())
            #expect(try JSONValue(parsing: Array(value.text(escapingSlashes: false).utf8)).text(escapingSlashes: false)
                == value.text(escapingSlashes: false))
        }
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
                Array(#"{}[],:"\ 0123456789.eE+-tfnalsru"#.utf8).randomElement(using: &generator) ?? 0
            }
            _ = try? JSONValue(parsing: bytes)
        }
    }
}

