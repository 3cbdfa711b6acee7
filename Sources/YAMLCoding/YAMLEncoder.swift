/// Encodes `Encodable` values as YAML the way Yams 6.2.2's `YAMLEncoder` does with default options:
/// keys in the order they are encoded, `nil` from `encodeIfPresent` omitted, strings that would read
/// back as another type single-quoted, numbers and booleans plain.
public struct YAMLEncoder: Sendable {
    public init() {}

    /// The YAML text, as `Yams.YAMLEncoder().encode(_:)` writes it.
    public func encode<T: Encodable>(_ value: T) throws -> String {
        do {
            return try encodeNode(value).emitted()
        } catch let error as EncodingError {
            throw error
        } catch {
            // Yams wraps every other failure, including ones thrown by `encode(to:)`, this way.
            throw EncodingError.invalidValue(value, .init(
                codingPath: [],
                debugDescription: "Unable to encode the given top-level value to YAML.",
                underlyingError: error))
        }
    }

    /// The tree `encode` would serialize.
    public func encodeNode<T: Encodable>(_ value: T) throws -> YAMLNode {
        let root = YAMLEncodingBox()
        let container = YAMLNodeEncoder(box: root, codingPath: [])
        try container.encode(value)
        return root.node
    }
}
