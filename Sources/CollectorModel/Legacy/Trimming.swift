import Foundation

extension String {
    /// Without leading and trailing white space (Unicode's, as Python's
    /// `strip()` and Foundation see it). Nearly every string has none, and
    /// those are returned without calling Foundation: this runs for every
    /// request's fields and credentials.
    public func trimmingWhitespace() -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace
        else { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
