/// JSON values read the way the legacy services' Python read them.
enum LegacyJSON {
    /// A number, not a boolean.
    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let integer)?: Double(integer)
        case .float(let float)?: float
        default: nil
        }
    }

    /// Python's `str()` of a JSON number: `7`, `7.5`, `7.0`.
    static func pythonText(_ value: JSONValue) -> String? {
        switch value {
        case .integer(let integer): String(integer)
        case .float(let float): JSONText.float(float)
        default: nil
        }
    }

    /// A scalar as a tag or uid: strings as they are, numbers and booleans
    /// as text, null empty, anything else as JSON.
    static func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): string
        case .bool(let bool): bool ? "true" : "false"
        case .integer, .float: pythonText(value) ?? value.text()
        case .null: ""
        case .array, .object: value.text()
        }
    }

    /// Parses a body; the error says where it stopped, as the services'
    /// frameworks did.
    static func parse(_ body: [UInt8], maxBytes: Int) throws(ValidationError) -> JSONValue {
        guard body.count <= maxBytes else { throw ValidationError(field: "body", "is larger than \(maxBytes) bytes") }
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw ValidationError(field: "body", "is not valid JSON (\(error.message))")
        }
    }
}
