struct YAMLUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let box: YAMLEncodingBox
    let codingPath: [any CodingKey]

    var count: Int { box.sequenceCount }

    func encodeNil() throws {
        box.appendChild().content = .scalar(.encodedNull)
    }

    func encode<T: Encodable>(_ value: T) throws {
        let encoder = nextEncoder()
        try encoder.encode(value)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        nextEncoder().container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        nextEncoder().unkeyedContainer()
    }

    func superEncoder() -> any Encoder {
        nextEncoder()
    }

    private func nextEncoder() -> YAMLNodeEncoder {
        let key = YAMLCodingKey(index: count)
        return YAMLNodeEncoder(box: box.appendChild(), codingPath: codingPath + [key])
    }
}
