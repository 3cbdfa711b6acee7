/// Input that was refused, with the field that was wrong and why. Every
/// boundary (gRPC, HTTP, config files, the command line) turns these into its
/// own clear error; nothing is stored when one is thrown.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
