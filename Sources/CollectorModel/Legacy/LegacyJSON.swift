import Foundation

/// JSON values as `JSONSerialization` hands them over, read the way the
/// legacy services' Python read them.
enum LegacyJSON {
    static func isBoolean(_ number: NSNumber) -> Bool {
        // JSON booleans decode to NSNumber too; their type code is 'c'.
        String(cString: number.objCType) == "c"
    }

    static func isFloat(_ number: NSNumber) -> Bool {
        let code = String(cString: number.objCType)
        return code == "d" || code == "f"
    }

    /// A number, not a boolean.
    static func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return number.doubleValue
    }

    /// Python's `str()` of a JSON number: `7`, `7.5`, `7.0`.
    static func pythonText(_ number: NSNumber) -> String {
        isFloat(number) ? JSONText.float(number.doubleValue) : "\(number.int64Value)"
    }

    /// A scalar as a tag or uid: strings as they are, numbers and booleans
    /// as text, null empty, anything else as JSON.
    static func scalarText(_ value: Any) -> String {
        switch value {
        case let string as String: return string
        case let number as NSNumber where isBoolean(number): return number.boolValue ? "true" : "false"
        case let number as NSNumber: return pythonText(number)
        case is NSNull: return ""
        default: return (try? encode(value)) ?? "\(value)"
        }
    }

    static func encode(_ value: Any) throws(ValidationError) -> String {
        do {
            return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
        } catch {
            throw ValidationError(field: "body", "cannot be stored as JSON")
        }
    }

    /// Parses a body; the error says where it stopped, as the services'
    /// frameworks did.
    static func parse(_ body: [UInt8], maxBytes: Int) throws(ValidationError) -> Any {
        guard body.count <= maxBytes else { throw ValidationError(field: "body", "is larger than \(maxBytes) bytes") }
        do {
            return try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw ValidationError(field: "body", "is not valid JSON" + (reason.map { " (\($0))" } ?? ""))
        }
    }
}
