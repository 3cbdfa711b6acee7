/// Tag names and the implicit tag resolution of Yams's `Resolver.default`.
///
/// Yams resolves with NSRegularExpression; these hand-written matchers accept exactly the same
/// strings so that nothing here needs Foundation.
public enum YAMLTag {
    public static let str = "tag:yaml.org,2002:str"
    public static let int = "tag:yaml.org,2002:int"
    public static let float = "tag:yaml.org,2002:float"
    public static let bool = "tag:yaml.org,2002:bool"
    public static let null = "tag:yaml.org,2002:null"
    public static let merge = "tag:yaml.org,2002:merge"
    public static let timestamp = "tag:yaml.org,2002:timestamp"
    public static let value = "tag:yaml.org,2002:value"
    public static let nonSpecific = "!"

    /// The tag Yams gives an untagged plain scalar with this text (rules tried in Yams's order).
    public static func resolve(_ string: String) -> String {
        var bytes = Array(string.utf8)
        stripFinalLineTerminator(&bytes)
        let matcher = TagPatterns(bytes)
        if matcher.isBool { return bool }
        if matcher.isInt { return int }
        if matcher.isFloat { return float }
        if bytes == [0x3C, 0x3C] { return merge }  // "<<"
        if matcher.isNull { return null }
        if matcher.isTimestamp { return timestamp }
        if bytes == [0x3D] { return value }  // "="
        return str
    }

    // ICU's `$` (used by Yams's patterns) also matches before one line terminator ending the input.
    private static func stripFinalLineTerminator(_ bytes: inout [UInt8]) {
        guard let last = bytes.last else { return }
        switch last {
        case 0x0A:
            bytes.removeLast()
            if bytes.last == 0x0D { bytes.removeLast() }
        case 0x0B, 0x0C, 0x0D:
            bytes.removeLast()
        case 0x85 where bytes.count >= 2 && bytes[bytes.count - 2] == 0xC2:
            bytes.removeLast(2)
        case 0xA8, 0xA9:
            // U+2028 / U+2029 are E2 80 A8 / E2 80 A9.
            if bytes.count >= 3 && bytes[bytes.count - 3] == 0xE2 && bytes[bytes.count - 2] == 0x80 {
                bytes.removeLast(3)
            }
        default:
            break
        }
    }
}
