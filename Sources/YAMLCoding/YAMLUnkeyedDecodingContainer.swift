/// Sequential access to a sequence node's items.
struct YAMLUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: YAMLNodeDecoder
    let nodes: [YAMLNode]
    private(set) var currentIndex = 0

    init(decoder: YAMLNodeDecoder, nodes: [YAMLNode]) {
        self.decoder = decoder
        self.nodes = nodes
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { nodes.count }
    var isAtEnd: Bool { currentIndex >= nodes.count }

    /// Advances only past a null, as the protocol requires. (Yams advances either way, which makes
    /// `decodeIfPresent` skip the next item; nothing relies on that.)
    mutating func decodeNil() throws -> Bool {
        let item = try currentDecoder(Any?.self)
        guard item.decodeNil() else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try currentDecoder(T.self).decodeValue(type)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type)
        throws -> KeyedDecodingContainer<NestedKey> {
        let container = try currentDecoder(KeyedDecodingContainer<NestedKey>.self).container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try currentDecoder((any UnkeyedDecodingContainer).self).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = try currentDecoder(YAMLNodeDecoder.self)
        currentIndex += 1
        return decoder
    }

    /// The decoder for the current item; `expected` only names the type in the at-end error.
    private func currentDecoder(_ expected: Any.Type) throws -> YAMLNodeDecoder {
        let key = YAMLCodingKey(index: currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(expected, .init(codingPath: codingPath + [key],
                                                              debugDescription: "Unkeyed container is at end."))
        }
        return decoder.child(nodes[currentIndex], key: key)
    }
}
