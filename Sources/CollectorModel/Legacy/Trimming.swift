extension String {
    /// Without leading and trailing white space or line breaks (Unicode's,
    /// as Python's `strip()` sees it). Nearly every string has none, and
    /// those are returned as they are: this runs for every request's fields
    /// and credentials.
    public func trimmingWhitespace() -> String {
        trimming { $0.properties.isWhitespace }
    }

    /// Without leading and trailing spaces and tabs (Unicode's space
    /// separators), keeping line breaks: what a config value or a form
    /// field is padded with.
    public func trimmingSpaces() -> String {
        trimming { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    private func trimming(_ isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last, isTrimmed(first) || isTrimmed(last)
        else { return self }
        let scalars = unicodeScalars.drop(while: isTrimmed)
        guard let end = scalars.lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(scalars[...end])
    }
}

extension Substring {
    public func trimmingSpaces() -> String { String(self).trimmingSpaces() }
}

extension Unicode.Scalar {
    /// A letter, mark or digit of any script: what Foundation's
    /// `CharacterSet.alphanumerics` holds.
    public var isAlphanumeric: Bool {
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
