extension String {
    /// `directory/name`, with one slash between them: a path inside a
    /// folder, without NSString (and the ICU that comes with it).
    public func appendingPath(_ name: String) -> String {
        guard !isEmpty else { return name }
        return hasSuffix("/") ? self + name : self + "/" + name
    }

    /// The part after the last slash, ignoring trailing slashes.
    public var lastPathPart: String {
        split(separator: "/").last.map(String.init) ?? self
    }
}
