/// A composed YAML document tree. Aliases are already replaced by copies of their anchored nodes.
public enum YAMLNode: Sendable, Hashable {
    case scalar(YAMLScalar)
    case mapping(YAMLMapping)
    case sequence([YAMLNode])
}

extension YAMLNode {
    /// A scalar with no style yet, like Yams's `Node(string)`: the emitter quotes it only if it must.
    public init(_ string: String) {
        self = .scalar(YAMLScalar(string))
    }

    public init(_ pairs: [(YAMLNode, YAMLNode)]) {
        self = .mapping(YAMLMapping(pairs))
    }

    public init(_ nodes: [YAMLNode]) {
        self = .sequence(nodes)
    }

    /// The explicit null the project writes for overrides; plain style so the decoder reads it as nil.
    public static let null = YAMLNode.scalar(YAMLScalar("null", style: .plain, tag: YAMLTag.null))

    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    public var mapping: YAMLMapping? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let nodes) = self { return nodes }
        return nil
    }

    /// The scalar's text, whatever its tag (`123` and `null` included); nil for collections.
    public var string: String? {
        scalar?.string
    }
}

extension YAMLNode: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self.init(value)
    }
}
