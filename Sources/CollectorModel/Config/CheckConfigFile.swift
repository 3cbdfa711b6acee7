/// `check-config FILE` and `check-config --config FILE` both name the file,
/// in the collector and in the agent alike: people type whichever form the
/// other daemon taught them.
public enum CheckConfigFile {
    /// The file named either way; nil when neither names one (the defaults
    /// and the environment are checked). Two different files is a mistake.
    public static func choose(argument: String?, option: String?) throws -> String? {
        if let argument, let option, argument != option {
            throw ConfigError("two configuration files named: '\(argument)' and --config '\(option)'; give one")
        }
        return argument ?? option
    }
}
