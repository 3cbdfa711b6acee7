import Foundation

/// `application/x-www-form-urlencoded` pairs, in order: `+` is a space and
/// `%XX` a byte, as browsers submit GET forms and Python's `urlencode`
/// writes them. Hummingbird's query parameters keep the `+`, which would
/// turn every space of a value into a plus sign.
public enum FormEncoding {
    public static func pairs(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func decode(_ component: Substring) -> String {
        let spaced = component.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
