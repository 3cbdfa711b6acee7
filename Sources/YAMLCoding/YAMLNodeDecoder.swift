/// The `Decoder` (and single-value container) positioned on one node.
struct YAMLNodeDecoder: Decoder, SingleValueDecodingContainer {
    let node: YAMLNode
    let codingPath: [any CodingKey]

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            throw DecodingError.yamlTypeMismatch(YAMLDecodingExpectation.Mapping.self,
                                                 found: YAMLDecodingExpectation.Node.self, at: codingPath)
        }
        return KeyedDecodingContainer(YAMLKeyedDecodingContainer<Key>(decoder: self, mapping: mapping.flattened()))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let nodes) = node else {
            throw DecodingError.yamlTypeMismatch(YAMLDecodingExpectation.Sequence.self,
                                                 found: YAMLDecodingExpectation.Node.self, at: codingPath)
        }
        return YAMLUnkeyedDecodingContainer(decoder: self, nodes: nodes)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func child(_ node: YAMLNode, key: any CodingKey) -> YAMLNodeDecoder {
        YAMLNodeDecoder(node: node, codingPath: codingPath + [key])
    }

    // MARK: - SingleValueDecodingContainer

    func decodeNil() -> Bool {
        node.scalar?.isNull ?? false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeValue(type)
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        guard let constructible = type as? any YAMLScalarConstructible.Type else {
            return try T(from: self)
        }
        let scalar = try requireScalar()
        guard let value = constructible.construct(from: scalar) as? T else {
            throw DecodingError.yamlTypeMismatch(type, found: YAMLDecodingExpectation.Scalar.self, at: codingPath)
        }
        return value
    }

    private func requireScalar() throws -> YAMLScalar {
        switch node {
        case .scalar(let scalar):
            return scalar
        case .mapping:
            throw DecodingError.yamlTypeMismatch(YAMLDecodingExpectation.Scalar.self,
                                                 found: YAMLDecodingExpectation.Mapping.self, at: codingPath)
        case .sequence:
            throw DecodingError.yamlTypeMismatch(YAMLDecodingExpectation.Scalar.self,
                                                 found: YAMLDecodingExpectation.Sequence.self, at: codingPath)
        }
    }
}
