extension JSONValue {
    /// Parses one JSON text (RFC 8259, UTF-8): any value at the top level,
    /// white space around it, nothing else after it. A UTF-8 byte order
    /// mark before it is skipped, as the RFC lets a parser do.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        // Request bodies are usually contiguous: parse them where they are.
        let borrowed: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { Self.parse($0) }
        self = try (borrowed ?? Array(bytes).withUnsafeBufferPointer { Self.parse($0) }).get()
    }

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        let hasByteOrderMark = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
        var parser = JSONParser(bytes: UnsafeBufferPointer(rebasing: buffer[(hasByteOrderMark ? 3 : 0)...]))
        do throws(JSONParseError) {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}
