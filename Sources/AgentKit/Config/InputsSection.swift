import CollectorModel

extension AgentConfig {
    /// `inputs:`: one section for each input in `AgentInputs.all`, under
    /// its name; an absent section is that input's defaults. Read one as
    /// `config.inputs[HostStatsInput.self]`.
    public struct InputsSection: Codable, Sendable, Equatable {
        private var sections: [String: any InputConfig]

        public init() {
            sections = Self.defaults()
        }

        public subscript<Input: AgentInput>(_ input: Input.Type) -> Input.Config {
            get { sections[Input.name] as? Input.Config ?? Input.Config() }
            set { sections[Input.name] = newValue }
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: AnyCodingKey.self)
            let names = AgentInputs.names
            for key in container.allKeys where !names.contains(key.stringValue) {
                let path = (decoder.codingPath + [key]).map(\.stringValue).joined(separator: ".")
                throw ConfigError("unknown key '\(path)'; expected one of: \(names.sorted().joined(separator: ", "))")
            }
            sections = try Self.decoded(from: container)
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: AnyCodingKey.self)
            for name in AgentInputs.names {
                if let section = sections[name] { try container.encode(section, forKey: AnyCodingKey(stringValue: name)) }
            }
        }

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.sections.count == rhs.sections.count && lhs.sections.allSatisfy { name, section in
                rhs.sections[name].map(section.isEqual(to:)) ?? false
            }
        }

        // Each input's section through a generic function, which opens the
        // list's existential metatypes (the compiler crashes opening them
        // inside an initializer).
        private static func defaults() -> [String: any InputConfig] {
            var sections: [String: any InputConfig] = [:]
            for input in AgentInputs.all { sections[input.name] = defaultSection(of: input) }
            return sections
        }

        private static func defaultSection<Input: AgentInput>(of _: Input.Type) -> any InputConfig {
            Input.Config()
        }

        private static func decoded(from container: KeyedDecodingContainer<AnyCodingKey>) throws -> [String: any InputConfig] {
            var sections = defaults()
            for input in AgentInputs.all {
                if let section = try section(of: input, from: container) { sections[input.name] = section }
            }
            return sections
        }

        private static func section<Input: AgentInput>(of _: Input.Type, from container: KeyedDecodingContainer<AnyCodingKey>) throws
            -> (any InputConfig)? {
            try container.decodeIfPresent(Input.Config.self, forKey: AnyCodingKey(stringValue: Input.name))
        }
    }
}
