/// The `Encoder` (and single-value container) writing into one box.
struct YAMLNodeEncoder: Encoder, SingleValueEncodingContainer {
    let box: YAMLEncodingBox
    let codingPath: [any CodingKey]

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.makeMapping()
        return KeyedEncodingContainer(YAMLKeyedEncodingContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.makeSequence()
        return YAMLUnkeyedEncodingContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: - SingleValueEncodingContainer

    func encodeNil() throws {
        box.content = .scalar(.encodedNull)
    }

    func encode<T: Encodable>(_ value: T) throws {
        if let representable = value as? any YAMLScalarRepresentable {
            box.content = .scalar(representable.yamlScalar)
        } else {
            try value.encode(to: self)
        }
    }
}

extension YAMLScalar {
    /// What Yams writes for `encodeNil()`: unstyled "null" tagged null.
    static let encodedNull = YAMLScalar("null", tag: YAMLTag.null)
}
