import Foundation
import ServiceSupport

/// Form-encoded parameters as the InfluxDB clients send them in the query
/// string and in POST bodies (`q=SELECT+mean...`; see `FormEncoding`). The
/// first occurrence of a key wins, as Go's `Get` does.
enum FormParameters {
    static func parse(_ text: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for (key, value) in FormEncoding.pairs(text) where parameters[key] == nil {
            parameters[key] = value
        }
        return parameters
    }
}
