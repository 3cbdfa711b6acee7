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

    /// As Foundation's `removingPercentEncoding` did: a malformed escape
    /// or bytes that are not UTF-8 leave the component as it came.
    static func decode(_ component: Substring) -> String {
        let spaced = String(component.map { $0 == "+" ? " " : $0 })
        guard spaced.utf8.contains(UInt8(ascii: "%")) else { return spaced }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(spaced.utf8.count)
        var iterator = spaced.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return spaced }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self) ?? spaced
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
