import Foundation

/// `application/x-www-form-urlencoded` pairs, as the InfluxDB clients send
/// them in the query string and in POST bodies: `+` is a space (Python's
/// `urlencode` writes `q=SELECT+mean...`), `%XX` a byte. Hummingbird's
/// query parameters keep the `+`, which would turn every space of a query
/// into a plus sign. The first occurrence of a key wins, as Go's `Get` does.
enum FormParameters {
    static func parse(_ text: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            guard parameters[key] == nil else { continue }
            parameters[key] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return parameters
    }

    private static func decode(_ component: Substring) -> String {
        let spaced = component.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
