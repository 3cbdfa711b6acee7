import CollectorModel
import Foundation
import Testing
import YAMLCoding

/// The YAML reader and writer over libyaml that replaced Yams: config files
/// decode as they did, mistakes name their line or key, check-config prints
/// what reads back the same.
@Suite("YAML coding")
struct YAMLCodingTests {
    struct Sample: Codable, Equatable {
        struct Endpoint: Codable, Equatable {
            var url: String
            var token: String?
        }
        enum Mode: String, Codable { case fast, slow }

        var name: String
        var port: Int
        var ratio: Double
        var enabled: Bool
        var mode: Mode
        var addresses: [String]
        var labels: [String: String]
        var endpoints: [Endpoint]
        var note: String?

        enum CodingKeys: String, CodingKey {
            case name, port, ratio, enabled, mode, addresses, labels, endpoints, note
        }
    }

    static let document = """
        # a comment
        other: &y 'http://y/'
        name: 'collector'   # quoted
        port: 0x1F90
        ratio: 1_000.5
        enabled: yes
        mode: slow
        addresses: [a:7443, "b:7443"]
        labels:
          room: "101"
          empty: ''
        endpoints:
          - url: http://x/
            token: null
          - url: *y
            token: ~
        note: |
          two
          lines

        """

    @Test func decodesAsYamsDid() throws {
        let node = try #require(try YAMLNode.compose(Self.document))
        let sample = try YAMLDecoder().decode(Sample.self, from: node)
        #expect(sample == Sample(name: "collector", port: 8080, ratio: 1000.5, enabled: true, mode: .slow,
                                 addresses: ["a:7443", "b:7443"], labels: ["room": "101", "empty": ""],
                                 endpoints: [.init(url: "http://x/", token: nil), .init(url: "http://y/", token: nil)],
                                 note: "two\nlines\n"))
        // A number or `null` written where text is expected is that text.
        struct Texts: Decodable { var a: String; var b: String }
        let texts = try YAMLDecoder().decode(Texts.self, from: #require(try YAMLNode.compose("a: 16\nb: null\n")))
        #expect(texts.a == "16" && texts.b == "null")
        #expect(try YAMLNode.compose("") == nil)
        #expect(try YAMLNode.compose("# only a comment\n") == nil)
    }

    @Test func mistakesNameTheKeyOrTheLine() throws {
        func failure(_ yaml: String) -> String {
            do {
                _ = try ConfigFile.decode(Sample.self, yaml: yaml, source: "test.yaml")
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        let valid = Self.document
        #expect(failure(valid.replacingOccurrences(of: "port: 0x1F90", with: "port: eighty")) == "test.yaml: 'port' has the wrong type; expected Int")
        #expect(failure(valid.replacingOccurrences(of: "name: 'collector'   # quoted\n", with: "")) == "test.yaml: required key 'name' is missing")
        #expect(failure(valid.replacingOccurrences(of: "  - url: http://x/", with: "  - url: [1]")).contains("'endpoints.Index 0.url' has the wrong type"))
        let syntax = failure("a: 1\n\tb: 2\n")
        #expect(syntax.hasPrefix("test.yaml: 2:1: error:"), "\(syntax)")
        #expect(throws: YAMLError.self) { try YAMLNode.compose("a: [1, 2\n") }
        #expect(throws: YAMLError.self) { try YAMLNode.compose("a: 1\n---\nb: 2\n") }
        #expect(throws: YAMLError.self) { try YAMLNode.compose(String(repeating: "[", count: 100_000)) }
    }

    @Test func environmentOverridesEditTheTree() throws {
        let environment = ConfigEnvironment(["T_PORT": "9090", "T_NOTE": "~", "T_ADDRESSES": "[c:1, d:2]", "T_LABELS__ROOM": "202"],
                                            prefix: "T_")
        let sample = try ConfigFile.decode(Sample.self, yaml: Self.document, environment: environment)
        #expect(sample.port == 9090 && sample.note == nil && sample.addresses == ["c:1", "d:2"] && sample.labels["room"] == "202")
    }

    /// check-config's output reads back as the same configuration, with
    /// every secret masked and the keys in the order the type declares.
    @Test func encodedConfigReadsBackTheSame() throws {
        let sample = try ConfigFile.decode(Sample.self, yaml: Self.document)
        var plain = sample
        plain.endpoints = plain.endpoints.map { .init(url: $0.url, token: "s3cret") }
        plain.labels = ["room": "101"]
        let text = try EffectiveConfig.yaml(plain)
        // Doubles print as Yams printed them.
        #expect(text.hasPrefix("name: collector\nport: 8080\nratio: 1.0005e+3\nenabled: true\nmode: slow\n"), "\(text)")
        #expect(!text.contains("s3cret") && text.contains("token: '\(EffectiveConfig.mask)'") || text.contains("token: \(EffectiveConfig.mask)"), "\(text)")
        var masked = plain
        masked.endpoints = plain.endpoints.map { .init(url: $0.url, token: EffectiveConfig.mask) }
        #expect(try ConfigFile.decode(Sample.self, yaml: text) == masked)
        // Text that would read back as another type is quoted.
        struct Tricky: Codable, Equatable { var values: [String] }
        let tricky = Tricky(values: ["true", "123", "", "null", "~", "a: b", "- x", "#c", "*star", "line\nbreak", "é"])
        #expect(try ConfigFile.decode(Tricky.self, yaml: YAMLEncoder().encode(tricky)) == tricky)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SplitMix(state: 0xA11CE)
        let alphabet = Array("ab:- \n\t[]{},'\"#&*!|>?%@`~.0123456789\\<=".utf8)
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                bytes = Array(Self.document.utf8)
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = alphabet.randomElement(using: &generator) ?? 0
                }
            }
            if let node = try? YAMLNode.compose(String(decoding: bytes, as: UTF8.self)) {
                _ = try? YAMLDecoder().decode(Sample.self, from: node)
                _ = node.serialized()
            }
        }
    }
}
