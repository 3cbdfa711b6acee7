/// A YAML scalar: its text plus what is needed to read it back the same way.
public struct YAMLScalar: Sendable, Hashable {
    /// How the scalar was (or should be) written.
    ///
    /// `any` exists because Yams distinguishes it from `plain`: a scalar built in code has no style yet,
    /// lets the emitter pick one, decodes as a number like a plain scalar does, but is never read as null.
    public enum Style: Sendable, Hashable {
        case any
        case plain
        case singleQuoted
        case doubleQuoted
        case literal
        case folded
    }

    public var string: String
    public var style: Style
    /// The explicit tag in libyaml's expanded form (`!!null` is `tag:yaml.org,2002:null`), nil when implicit.
    public var tag: String?

    public init(_ string: String, style: Style = .any, tag: String? = nil) {
        self.string = string
        self.style = style
        self.tag = tag
    }

    /// The tag this scalar has after implicit resolution, as Yams's default resolver computes it.
    public var resolvedTag: String {
        if let tag {
            // "!" is the YAML non-specific tag: it forces a string reading.
            return tag == YAMLTag.nonSpecific ? YAMLTag.str : tag
        }
        switch style {
        case .any, .plain:
            return YAMLTag.resolve(string)
        case .singleQuoted, .doubleQuoted, .literal, .folded:
            // libyaml marks quoted and block scalars "quoted implicit", which Yams turns into !!str.
            return YAMLTag.str
        }
    }

    // Equality follows Yams (text and resolved tag, not style) so mapping-key lookup and
    // duplicate-key detection agree with it: `a` and `'a'` are the same key, `1` and `'1'` are not.
    public static func == (lhs: YAMLScalar, rhs: YAMLScalar) -> Bool {
        lhs.string == rhs.string && lhs.resolvedTag == rhs.resolvedTag
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(string)
        hasher.combine(resolvedTag)
    }
}
