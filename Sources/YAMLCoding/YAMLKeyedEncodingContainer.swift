struct YAMLKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: YAMLEncodingBox
    let codingPath: [any CodingKey]

    // `encodeIfPresent` keeps the standard library's default, which skips nil: Yams omits such keys.

    func encodeNil(forKey key: Key) throws {
        box.child(forKey: key.stringValue).content = .scalar(.encodedNull)
    }

    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let encoder = childEncoder(key)
        try encoder.encode(value)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                               forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        childEncoder(key).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        childEncoder(key).unkeyedContainer()
    }

    func superEncoder() -> any Encoder {
        childEncoder(YAMLCodingKey.superKey)
    }

    func superEncoder(forKey key: Key) -> any Encoder {
        childEncoder(key)
    }

    private func childEncoder(_ key: any CodingKey) -> YAMLNodeEncoder {
        YAMLNodeEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}
