/// Decodes `Decodable` values from a composed YAML tree with Yams 6.2.2's `YAMLDecoder` semantics:
/// the same scalar readings, the same `DecodingError` cases, coding paths and descriptions.
public struct YAMLDecoder: Sendable {
    public init() {}

    /// Errors thrown by a type's own `init(from:)` pass through unchanged.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from node: YAMLNode) throws -> T {
        try YAMLNodeDecoder(node: node, codingPath: []).decodeValue(type)
    }

    /// Composes `text` first; an empty document decodes as an empty unstyled scalar, as in Yams,
    /// and YAML syntax errors are wrapped in `DecodingError.dataCorrupted` with the `YAMLError`
    /// as underlying error.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from text: String) throws -> T {
        let node: YAMLNode
        do {
            node = try YAMLNode.compose(text) ?? YAMLNode("")
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [],
                                                    debugDescription: "The given data was not valid YAML.",
                                                    underlyingError: error))
        }
        return try decode(type, from: node)
    }
}

/// Names used in type-mismatch errors where Yams names its own node types, so that messages such as
/// "expected Mapping" read the same after the switch.
enum YAMLDecodingExpectation {
    enum Mapping {}
    enum Sequence {}
    enum Scalar {}
    enum Node {}
}

extension DecodingError {
    /// Yams's wording: "Expected to decode X but found Y instead."
    static func yamlTypeMismatch(_ expectation: Any.Type, found reality: Any.Type,
                                 at codingPath: [any CodingKey]) -> DecodingError {
        .typeMismatch(expectation, .init(
            codingPath: codingPath,
            debugDescription: "Expected to decode \(expectation) but found \(reality) instead."))
    }
}
