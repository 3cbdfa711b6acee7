import YAMLCoding

/// The configuration a daemon would run with, as YAML, for `check-config`:
/// what the file, the defaults and the environment add up to, with secrets
/// masked so the output can be pasted into a ticket.
public enum EffectiveConfig {
    /// Keys whose values are credentials wherever they appear.
    public static let secretKeys: Set<String> = ["token", "password", "secret", "client_secret"]
    public static let mask = "********"

    public static func yaml<T: Encodable>(_ config: T) throws -> String {
        let text = try YAMLEncoder().encode(config)
        guard let document = try YAMLNode.compose(text) else { return text }
        return masked(document).serialized()
    }

    static func masked(_ node: YAMLNode) -> YAMLNode {
        switch node {
        case .mapping(var mapping):
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                if secretKeys.contains(name), value.scalar != nil {
                    mapping[key] = YAMLNode(mask)
                } else {
                    mapping[key] = masked(value)
                }
            }
            return .mapping(mapping)
        case .sequence(var sequence):
            for index in sequence.indices { sequence[index] = masked(sequence[index]) }
            return .sequence(sequence)
        default:
            return node
        }
    }
}
